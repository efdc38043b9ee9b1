from django.core.management.base import BaseCommand, CommandError

from sinergi.accounts.models import User
from sinergi.accounts.services import revoke_tokens


class Command(BaseCommand):
    help = "Revoke USERNAME's API tokens: all of them, or those whose shown prefix starts with --prefix."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--prefix", default="", help="the token's first characters, e.g. sng_AbC123")

    def handle(self, *args, username, prefix, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna '{username}' tidak ada.")
        count = revoke_tokens(actor=None, user=user, prefix=prefix)
        self.stdout.write(f"{count} token dicabut.")

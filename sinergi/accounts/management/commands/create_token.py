from django.core.management.base import BaseCommand, CommandError

from sinergi.accounts.models import User
from sinergi.accounts.services import create_token


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="a label, e.g. the device or system using it")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Pengguna aktif '{username}' tidak ada.")
        self.stdout.write(create_token(actor=None, user=user, name=name))

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sinergi.accounts.models import User
from sinergi.accounts.totp import reset_totp


class Command(BaseCommand):
    help = "Reset USERNAME's TOTP (a lost or replaced phone): the user enrols a new authenticator at their next sign-in. Superusers too."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.select_related("agency").filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna '{username}' tidak ada.")
        try:
            reset_totp(actor=None, user=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"TOTP {user.username} diatur ulang: ia mendaftarkan aplikasi autentikatornya lagi saat masuk berikutnya.")

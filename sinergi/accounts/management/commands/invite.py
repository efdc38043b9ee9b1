from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sinergi.accounts.invitations import invite_user
from sinergi.accounts.models import Agency, User
from sinergi.core.links import absolute_url


class Command(BaseCommand):
    help = (
        "Invite USERNAME to an agency: the account gets no password but a one-time activation link "
        "(valid INVITATION_HOURS), printed here and e-mailed with --email. An existing account is "
        "moved to the agency and role given, loses its password and gets a new link."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--agency", required=True, help="the agency's slug, e.g. bawaslu-klungkung")
        parser.add_argument("--role", required=True, choices=User.Role.values)
        parser.add_argument("--email", default="", help="where the link is e-mailed (and later password-reset links)")
        parser.add_argument("--area", default=None, help="a region code inside the agency's, e.g. 51.05.01.2010; default: the agency's whole region")
        parser.add_argument("--name", default="", help="the person's full name")

    def handle(self, *args, username, agency, role, email, area, name, **options):
        found = Agency.objects.select_related("region").filter(slug=agency).first()
        if found is None:
            raise CommandError(f"Lembaga '{agency}' tidak ada.")
        if settings.SITE_URL:
            link = lambda path: absolute_url(None, path)  # noqa: E731
        elif email:
            raise CommandError("SITE_URL belum diatur: tautan dalam surel harus berupa alamat lengkap (mis. SITE_URL=https://sinergi.example.go.id). Tidak ada yang diubah.")
        else:
            link = lambda path: path  # noqa: E731
        existed = User.objects.filter(username=username).exists()
        try:
            issued = invite_user(actor=None, username=username, agency=found, role=role, link=link, full_name=name, email=email, area_code=area)
        except ValidationError as error:
            raise CommandError("; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())) from None
        user = issued.user
        self.stdout.write(f"{'Diundang ulang' if existed else 'Diundang'}: {user.username} ({found.name}, {user.get_role_display()}, wilayah {user.area_code})")
        if existed:
            self.stdout.write("Kata sandi dan tautan sebelumnya tidak berlaku lagi.")
        self.stdout.write(f"Tautan aktivasi (sekali pakai, sampai {timezone.localtime(issued.expires_at):%d-%m-%Y %H.%M}):")
        self.stdout.write(issued.url)
        if not settings.SITE_URL:
            self.stdout.write("SITE_URL belum diatur: buka alamat di atas pada alamat Sinergi, mis. http://127.0.0.1:8000" + issued.url)
        if issued.emailed_to:
            self.stdout.write(f"Dikirim ke {issued.emailed_to}.")

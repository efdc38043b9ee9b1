from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sinergi.accounts.letterhead import letterhead_of
from sinergi.accounts.models import Agency
from sinergi.accounts.services import set_agency_contact


class Command(BaseCommand):
    help = "Show or set the address, telephone and e-mail an agency prints on its letterhead (kop surat)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the agency, e.g. bawaslu-klungkung")
        parser.add_argument("--address", help='e.g. "Jalan ... No. 1, Semarapura"; "" clears it')
        parser.add_argument("--phone")
        parser.add_argument("--email")

    def handle(self, *args, slug, address, phone, email, **options):
        agency = Agency.objects.select_related("region__parent").filter(slug=slug).first()
        if agency is None:
            raise CommandError(f"Lembaga '{slug}' tidak ada.")
        if (address, phone, email) != (None, None, None):
            try:
                agency = set_agency_contact(actor=None, agency=agency, address=address, phone=phone, email=email)
            except ValidationError as error:
                raise CommandError("; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())) from None
        kop = letterhead_of(agency)
        for line in (*kop.above, kop.name, kop.contact or "(alamat, telepon dan surel belum diisi)"):
            self.stdout.write(line)

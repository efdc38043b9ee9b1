from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.core.tabular import InputRejected
from sinergi.elections.models import Election
from sinergi.risk.catalogue import load_catalogue


class Command(BaseCommand):
    help = "Load or update an election's vulnerability indicator catalogue from a CSV/XLSX file (risk/data/README.md)."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True)
        parser.add_argument("file", type=Path)

    def handle(self, *args, election, file, **options):
        target = Election.objects.filter(slug=election).first()
        if target is None:
            raise CommandError(f"Pemilihan '{election}' tidak ada.")
        try:
            result = load_catalogue(actor=None, election=target, filename=file.name, content=file.read_bytes())
        except InputRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(rejected.errors)} kesalahan; katalog tidak disimpan.") from None
        self.stdout.write(f"{result.variables} variabel, {result.indicators} indikator; {result.changed} perubahan.")

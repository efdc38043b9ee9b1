from pathlib import Path

from django.core.management.base import BaseCommand

from sinergi.core.commands import rejected_error
from sinergi.core.tabular import InputRejected
from sinergi.elections.commands import election_or_error
from sinergi.risk.catalogue import load_catalogue


class Command(BaseCommand):
    help = "Load or update an election's vulnerability indicator catalogue from a CSV/XLSX file (risk/data/README.md)."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True)
        parser.add_argument("file", type=Path)

    def handle(self, *args, election, file, **options):
        target = election_or_error(election)
        try:
            result = load_catalogue(actor=None, election=target, filename=file.name, content=file.read_bytes())
        except InputRejected as rejected:
            raise rejected_error(self, rejected, "katalog tidak disimpan.") from None
        self.stdout.write(f"{result.variables} variabel, {result.indicators} indikator; {result.changed} perubahan.")

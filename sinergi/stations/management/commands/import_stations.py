from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.core.tabular import InputRejected
from sinergi.elections.commands import election_or_error
from sinergi.stations.services import import_stations_file


class Command(BaseCommand):
    help = "Import TPS of an election from a .csv or .xlsx file (docs/import-formats.md). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True, help="election slug, e.g. pemilu-2024")
        parser.add_argument("file", type=Path)

    def handle(self, *args, election, file, **options):
        target = election_or_error(election)
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Berkas tidak dapat dibaca: {error}") from None
        try:
            result = import_stations_file(actor=None, election=target, filename=file.name, content=content)
        except InputRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(rejected.errors)} kesalahan; tidak ada TPS yang disimpan.") from None
        for warning in result.warnings:
            self.stderr.write(f"Peringatan — {warning}")
        self.stdout.write(result.summary() + ("" if result.changed_anything else " Tidak ada perubahan."))

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.core.commands import rejected_error
from sinergi.core.tabular import InputRejected, UnreadableFile, read_table
from sinergi.elections.commands import election_or_error
from sinergi.logistics.commands import DISTRICT_HELP, command_district
from sinergi.logistics.plans import TRAVEL_COLUMNS, import_travel_times


class Command(BaseCommand):
    help = "Import measured road travel times (columns dari, ke, menit) that replace the estimates from coordinates."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True)
        parser.add_argument("--district", "--kabupaten", dest="district", help=DISTRICT_HELP)
        parser.add_argument("file", type=Path)

    def handle(self, *args, election, district, file, **options):
        target = election_or_error(election)
        region = command_district(target, district)
        try:
            rows, changed = import_travel_times(actor=None, election=target, district=region, table=read_table(file.name, file.read_bytes(), required=TRAVEL_COLUMNS))
        except UnreadableFile as error:
            raise CommandError(str(error)) from error
        except InputRejected as rejected:
            raise rejected_error(self, rejected, "tidak ada yang disimpan.") from None
        self.stdout.write(f"{rows} waktu tempuh; {changed} pasangan berubah.")

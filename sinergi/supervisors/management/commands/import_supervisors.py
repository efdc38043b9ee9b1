from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.core.commands import rejected_error
from sinergi.core.tabular import InputRejected, UnreadableFile, read_table
from sinergi.elections.commands import election_or_error
from sinergi.supervisors.services import ROSTER_KNOWN, ROSTER_REQUIRED, import_roster


class Command(BaseCommand):
    help = "Register supervisors (PTPS, PKD, Panwascam) from an .xlsx/.csv file, all or nothing (docs/supervisors.md)."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True)
        parser.add_argument("file", type=Path)

    def handle(self, *args, election, file, **options):
        target = election_or_error(election)
        try:
            counts = import_roster(actor=None, election=target, table=read_table(file.name, file.read_bytes(), required=ROSTER_REQUIRED, known=ROSTER_KNOWN))
        except UnreadableFile as error:
            raise CommandError(str(error)) from error
        except InputRejected as rejected:
            raise rejected_error(self, rejected, "tidak ada yang disimpan.") from None
        self.stdout.write(f"{counts['memenuhi_syarat']} memenuhi syarat, {counts['pendaftar']} pendaftar belum memenuhi syarat.")

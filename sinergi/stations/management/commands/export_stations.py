import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.elections.commands import election_or_error
from sinergi.stations.exports import csv_pieces, write_xlsx
from sinergi.stations.models import Station


class Command(BaseCommand):
    help = "Export the TPS of an election as CSV (standard output by default) or Excel."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", type=Path, help="file to write; CSV goes to standard output without it")

    def handle(self, *args, election, format, output, **options):
        target = election_or_error(election)
        stations = Station.objects.filter(election=target).order_by("village_id", "number")
        if format == "xlsx":
            if output is None:
                raise CommandError("Format xlsx memerlukan --output BERKAS.")
            with output.open("wb") as file:
                write_xlsx(file, stations)
        elif output is None:
            for piece in csv_pieces(stations):
                sys.stdout.write(piece)
        else:
            with output.open("w", encoding="utf-8", newline="") as file:
                file.writelines(csv_pieces(stations))
        if output is not None:
            self.stderr.write(f"Ditulis: {output}")

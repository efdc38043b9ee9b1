from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.core.streaming import write_xlsx_to
from sinergi.core.writing import csv_chunks
from sinergi.elections.commands import DEPLOYMENT, district_or_error, election_or_error
from sinergi.logistics.district_totals import requirements_by_region
from sinergi.logistics.documents import requirements_pdf
from sinergi.logistics.exports import CSV_COLUMNS, csv_rows, xlsx_sheets
from sinergi.logistics.requirement_queries import area_names, items_of, requirement_totals, station_rows


class Command(BaseCommand):
    help = "What every TPS of an election needs (ballots with reserve, boxes, booths, ink, seals, forms), with totals."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True)
        parser.add_argument("--format", choices=["csv", "xlsx", "pdf"], default="csv")
        parser.add_argument("--district", default="", help="only this kabupaten/kota (code, e.g. 51.05), with its reserves; default: every district")
        parser.add_argument("--output", type=Path)

    def handle(self, *args, election, format, output, district, **options):
        target = election_or_error(election)
        viewer = DEPLOYMENT
        if district:
            district_or_error(district)
        if format != "csv" and output is None:
            raise CommandError(f"Format {format} memerlukan --output BERKAS.")
        if format == "pdf":
            output.write_bytes(requirements_pdf(viewer, target, district))
            return
        # Written as the TPS are read (a cursor), never held whole: constant memory nationally.
        stations = station_rows(viewer, target, district)
        if format == "csv":
            pieces = csv_chunks(CSV_COLUMNS, csv_rows(items_of(target), target.ballot_reserve_percent, stations))
            if output is None:
                for piece in pieces:
                    self.stdout.write(piece, ending="")
                return
            with output.open("w", encoding="utf-8", newline="") as file:
                file.writelines(pieces)
            return
        totals = requirement_totals(viewer, target, district)
        regions = None if district else requirements_by_region(viewer, target)  # the whole country: a row per province and the total
        with output.open("wb") as file:
            write_xlsx_to(file, xlsx_sheets(totals, target.ballot_reserve_percent, stations, area_names(viewer, district), regions))

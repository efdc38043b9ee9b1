import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.core.streaming import write_xlsx_to
from sinergi.core.writing import csv_chunks
from sinergi.elections.commands import DEPLOYMENT, district_or_error, election_or_error
from sinergi.regions.models import Region
from sinergi.regions.queries import within
from sinergi.risk.documents import release_pdf
from sinergi.risk.exports import CSV_COLUMNS, release_rows, release_sheets
from sinergi.risk.models import Variable
from sinergi.risk.queries import release_for, station_labels
from sinergi.stations.queries import served_districts


class Command(BaseCommand):
    help = "Bawaslu's release of vulnerable TPS for an election: per-indicator counts by area, ranking and groups."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True)
        parser.add_argument("--format", choices=["csv", "xlsx", "pdf"], default="csv")
        parser.add_argument("--district", default="", help="only this kabupaten/kota (code, e.g. 51.05); default: every district of the deployment")
        parser.add_argument("--output", type=Path)

    def handle(self, *args, election, format, output, district, **options):
        target = election_or_error(election)
        viewer = DEPLOYMENT
        region = district_or_error(district) if district else None
        if format != "csv" and output is None:
            raise CommandError(f"Format {format} memerlukan --output BERKAS.")
        if format == "pdf":
            output.write_bytes(release_pdf(viewer, target, district))
            return
        result = release_for(viewer, target, district)
        names = dict(Region.objects.filter(within("code", district or None)).values_list("code", "name").iterator(chunk_size=10000))
        area = {"area_code": district, "area_name": region.name if region else "Semua wilayah", "names": names, "districts": [] if district else served_districts(target)}
        if format == "csv":
            pieces = csv_chunks(CSV_COLUMNS, release_rows(result, **area))
            if output is None:
                sys.stdout.writelines(pieces)
            else:
                with output.open("w", encoding="utf-8", newline="") as file:
                    file.writelines(pieces)
            return
        labels = station_labels([sid for sid, _ in result.several_variables])
        variables = dict(Variable.objects.filter(election=target).values_list("number", "name"))
        with output.open("wb") as file:
            write_xlsx_to(file, release_sheets(result, variable_names=variables, station_labels=labels, **area))

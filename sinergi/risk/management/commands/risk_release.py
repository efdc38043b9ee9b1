import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.elections.commands import DEPLOYMENT, district_or_error, election_or_error
from sinergi.regions.models import Region
from sinergi.risk.documents import release_pdf
from sinergi.risk.exports import release_csv, release_xlsx
from sinergi.risk.models import Variable
from sinergi.risk.queries import release_for
from sinergi.stations.models import Station


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
        result = release_for(viewer, target, district)
        names = dict(Region.objects.filter(code__startswith=district).values_list("code", "name"))
        area = {"area_code": district, "area_name": region.name if region else "Semua wilayah", "names": names}
        if format == "csv":
            text = release_csv(result, **area)
            if output is None:
                sys.stdout.write(text)
            else:
                output.write_text(text, encoding="utf-8")
            return
        if output is None:
            raise CommandError(f"Format {format} memerlukan --output BERKAS.")
        if format == "pdf":
            output.write_bytes(release_pdf(viewer, target, district))
            return
        labels = {s.pk: str(s) for s in Station.objects.filter(election=target, village__code__startswith=district).select_related("village")}
        variables = dict(Variable.objects.filter(election=target).values_list("number", "name"))
        output.write_bytes(release_xlsx(result, variable_names=variables, station_labels=labels, **area))

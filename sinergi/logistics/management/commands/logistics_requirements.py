from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.elections.commands import DEPLOYMENT, district_or_error, election_or_error
from sinergi.logistics.documents import requirements_pdf
from sinergi.logistics.exports import requirements_csv, requirements_xlsx
from sinergi.logistics.requirement_queries import requirements_for
from sinergi.regions.models import Region
from sinergi.stations.models import Station


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
        if format == "pdf":
            if output is None:
                raise CommandError("Format pdf memerlukan --output BERKAS.")
            output.write_bytes(requirements_pdf(viewer, target, district))
            return
        result = requirements_for(viewer, target, district)
        stations = list(Station.objects.filter(election=target, village__code__startswith=district).select_related("village__parent"))
        if format == "csv":
            text = requirements_csv(result, stations)
            if output is None:
                self.stdout.write(text, ending="")
            else:
                output.write_text(text, encoding="utf-8")
            return
        if output is None:
            raise CommandError("Format xlsx memerlukan --output BERKAS.")
        names = dict(Region.objects.filter(code__in=list(result.by_kecamatan) + list(result.by_village)).values_list("code", "name"))
        output.write_bytes(requirements_xlsx(result, stations, names))

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.elections.commands import DEPLOYMENT, district_or_error, election_or_error
from sinergi.guard.documents import plan_pdf
from sinergi.guard.exports import plan_csv, plan_xlsx
from sinergi.guard.queries import plan_for


class Command(BaseCommand):
    help = "The police guard plan of an election: posts by formation, per TPS (CSV) or with posts and Polsek totals (Excel)."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True)
        parser.add_argument("--format", choices=["csv", "xlsx", "pdf"], default="csv")
        parser.add_argument("--kecamatan", default="", help="PDF: only this Polsek (kecamatan code)")
        parser.add_argument("--district", "--kabupaten", dest="district", default="", help="only this kabupaten/kota (code, e.g. 51.05)")
        parser.add_argument("--output", type=Path)

    def handle(self, *args, election, format, output, kecamatan, district, **options):
        target = election_or_error(election)
        viewer = DEPLOYMENT
        if district:
            district_or_error(district)
        guard = plan_for(viewer, target, district)
        if guard.gaps:
            # A TPS no formation covers (or no Polsek answers for) would be left unguarded: refuse
            # to print a plan that looks complete.
            for gap in guard.gaps:
                self.stderr.write(f"Kesalahan — {gap}")
            raise CommandError(
                f"Rencana tidak dibuat: {len(guard.gaps)} masalah di atas. Perbaikilah (sinergi load-formation), "
                "atau batasi rencana dengan --district KODE."
            )
        if format == "csv":
            text = plan_csv(guard)
            sys.stdout.write(text) if output is None else output.write_text(text, encoding="utf-8")
        elif output is None:
            raise CommandError(f"Format {format} memerlukan --output BERKAS.")
        elif format == "pdf":
            output.write_bytes(plan_pdf(viewer, target, kecamatan, district))
        else:
            output.write_bytes(plan_xlsx(guard))
        for entry in guard.plan.kecamatans:
            name = guard.kecamatan_names.get(entry.kecamatan_code, entry.kecamatan_code)
            line = f"{name}: {entry.posts} pos, {entry.stations} TPS, {entry.police} polisi, {entry.linmas} Linmas; tersedia {entry.available_police}"
            self.stderr.write(line + (f"; KURANG {entry.shortage}" if entry.shortage else ""))

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.core.streaming import write_xlsx_to
from sinergi.core.writing import csv_chunks
from sinergi.elections.commands import DEPLOYMENT, district_or_error, election_or_error
from sinergi.guard.documents import plan_pdf
from sinergi.guard.exports import TPS_COLUMNS, plan_csv_rows, plan_sheets
from sinergi.guard.plan_rows import StreamedPlan


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
        # Planned and written district by district (plan_rows.StreamedPlan): constant memory
        # for the whole country; the gaps are counted first, before anything is written.
        streamed = StreamedPlan(viewer, target, district)
        if streamed.gaps:
            # A TPS no formation covers (or no Polsek answers for) would be left unguarded: refuse
            # to print a plan that looks complete.
            for gap in streamed.gaps:
                self.stderr.write(f"Kesalahan — {gap}")
            raise CommandError(
                f"Rencana tidak dibuat: {len(streamed.gaps)} masalah di atas. Perbaikilah (sinergi load-formation), "
                "atau batasi rencana dengan --district KODE."
            )
        if format == "csv":
            pieces = csv_chunks(TPS_COLUMNS, plan_csv_rows(streamed))
            if output is None:
                sys.stdout.writelines(pieces)
            else:
                with output.open("w", encoding="utf-8", newline="") as file:
                    file.writelines(pieces)
        elif output is None:
            raise CommandError(f"Format {format} memerlukan --output BERKAS.")
        elif format == "pdf":
            output.write_bytes(plan_pdf(viewer, target, kecamatan, district))
            for _ in streamed.districts():  # the totals below
                pass
        else:
            with output.open("wb") as file:
                write_xlsx_to(file, plan_sheets(streamed))
        for entry in streamed.kecamatan_totals():
            name = streamed.names.get(entry.kecamatan_code, entry.kecamatan_code)
            line = f"{name}: {entry.posts} pos, {entry.stations} TPS, {entry.police} polisi, {entry.linmas} Linmas; tersedia {entry.available_police}"
            self.stderr.write(line + (f"; KURANG {entry.shortage}" if entry.shortage else ""))

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from sinergi.core.writing import write_csv
from sinergi.elections.commands import election_or_error
from sinergi.supervisors.documents import field_code_slips_pdf
from sinergi.supervisors.field_logins import Issued, codes_for, issue_codes
from sinergi.supervisors.queries import eligible_posts

HEADERS = ["nama", "kecamatan", "desa", "nomor_tps", "telepon", "kode", "tautan"]


class Command(BaseCommand):
    help = (
        "Issue a field sign-in code to every eligible or inaugurated PTPS of the election that has none, and write "
        "the new codes: one slip per PTPS with its QR code (pdf) or a table (csv). Codes already issued are not "
        "written again (docs/supervisors.md, 'Field sign-in codes')."
    )

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True)
        parser.add_argument("--format", choices=["pdf", "csv"], default="pdf")
        parser.add_argument("--output", type=Path, help="the file to write (default: kode-lapangan-SLUG.pdf/.csv)")
        parser.add_argument("--all", dest="reprint", action="store_true", help="write every active PTPS's code, not only the new ones (a reprint; audited)")
        parser.add_argument("--site-url", default="", help="the address people reach Sinergi at, for the links and QR codes (default: SITE_URL)")

    def handle(self, *args, election, format, output, site_url, reprint, **options):
        target = election_or_error(election)
        base = (site_url or settings.SITE_URL).rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise CommandError("Alamat Sinergi belum diketahui untuk tautan dan kode QR: setel SITE_URL atau beri --site-url https://sinergi.contoh.go.id.")
        output = output or Path(f"kode-lapangan-{target.slug}.{format}")
        if output.exists():
            raise CommandError(f"{output} sudah ada: berkas kode tidak ditimpa. Pilih --output lain.")
        try:
            if reprint:
                posts = eligible_posts(None, target)
                codes = codes_for(actor=None, election=target, posts=posts, purpose="slip kode (perintah)")
                issued = [Issued(post, codes[post.pk]) for post in posts if post.pk in codes]
            else:
                issued = issue_codes(actor=None, election=target)
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError("Tidak ada kode yang dibuat.") from None
        if not issued:
            self.stdout.write("Setiap PTPS aktif sudah punya kode masuk: tidak ada kode baru, tidak ada berkas ditulis.")
            return
        url = base + reverse("supervisors:field_sign_in")
        try:
            self._write(issued, format, output, url)
        except Exception as error:
            # The codes are issued (committed): say how to get them on paper without issuing again.
            raise CommandError(f"{len(issued)} kode dibuat tetapi {output} gagal ditulis ({error}). Tulis ulang semua kode dengan --all.") from error
        self.stdout.write(f"{len(issued)} kode masuk {'' if reprint else 'baru '}ditulis ke {output}. Berkas ini berisi kode rahasia: cetak atau bagikan, lalu hapus.")

    def _write(self, issued: list, format: str, output: Path, url: str) -> None:
        target = issued[0].post.election
        if format == "csv":
            rows = [
                [i.post.supervisor.name, i.post.station.village.parent.name, i.post.station.village.name, i.post.station.number, i.post.supervisor.phone, i.code, f"{url}#kode={i.code}"]
                for i in issued
            ]
            output.write_text(write_csv(HEADERS, rows), encoding="utf-8")
        else:
            output.write_bytes(field_code_slips_pdf(target, [i.post for i in issued], {i.post.pk: i.code for i in issued}, url))

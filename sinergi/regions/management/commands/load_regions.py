from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.core.tabular import InputRejected
from sinergi.regions.services import load_regions


class Command(BaseCommand):
    help = (
        "Load or update regions from files shaped like the shipped Klungkung data: CSV place lists "
        "(code,name,kind,lat,lon,source) and GeoJSON village polygons. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, files, **options):
        try:
            loaded = [(path.name, path.read_bytes()) for path in files]
        except OSError as error:
            raise CommandError(f"Berkas tidak dapat dibaca: {error}") from None
        try:
            result = load_regions(actor=None, files=loaded)
        except InputRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(rejected.errors)} kesalahan; tidak ada wilayah yang disimpan.") from None
        self.stdout.write(result.summary())

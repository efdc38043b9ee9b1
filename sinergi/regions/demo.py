"""The Klungkung reference district, shipped with Sinergi (see data/klungkung/NOTICE.md)."""

from pathlib import Path

from sinergi.regions.services import LoadResult, load_regions

KLUNGKUNG_DIR = Path(__file__).resolve().parent / "data" / "klungkung"
KLUNGKUNG_FILES = ("upper.csv", "places.csv", "desa.geojson")
KLUNGKUNG_CODE = "51.05"
NUSA_PENIDA_CODE = "51.05.01"


def load_klungkung() -> LoadResult:
    files = [(name, (KLUNGKUNG_DIR / name).read_bytes()) for name in KLUNGKUNG_FILES]
    return load_regions(actor=None, files=files)

"""An invented corner of Papua for the time-zone tests: Kota Jayapura (province 91, WIT) down to
one kelurahan, beside the demo's Klungkung (WITA)."""

from sinergi.regions.models import Region

GURABESI = "91.71.01.1001"


def add_jayapura() -> str:
    """Papua, Kota Jayapura, Jayapura Utara and Gurabesi; the kelurahan's code."""
    Region.objects.create(code="91", name="Papua", kind=Region.Kind.PROVINSI, level=1)
    Region.objects.create(code="91.71", name="Kota Jayapura", kind=Region.Kind.KOTA, parent_id="91", level=2)
    Region.objects.create(code="91.71.01", name="Jayapura Utara", kind=Region.Kind.KECAMATAN, parent_id="91.71", level=3)
    Region.objects.create(code=GURABESI, name="Gurabesi", kind=Region.Kind.KELURAHAN, parent_id="91.71.01", level=4)
    return GURABESI

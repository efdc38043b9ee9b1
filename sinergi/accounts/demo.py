"""Demo agencies and personas for Klungkung, and the province bodies of Bali above it. The
password is public: demo use only."""

from sinergi.accounts.districts import setup_district
from sinergi.accounts.letterhead import agency_name
from sinergi.accounts.models import Agency, User
from sinergi.accounts.services import ensure_agency, ensure_user
from sinergi.regions import codes
from sinergi.regions.models import Region

DEMO_PASSWORD = "sinergi-demo"

R = User.Role

# username, agency slug, role, full name, area (None: the agency's)
PERSONAS = [
    ("bawaslu", "bawaslu-klungkung", R.ADMIN, "Staf Bawaslu Klungkung (demo)", None),
    ("panwascam-nusapenida", "panwascam-nusa-penida", R.STAFF, "Anggota Panwascam Nusa Penida (demo)", None),
    ("polres", "polres-klungkung", R.STAFF, "Bag Ops Polres Klungkung (demo)", None),
    ("polsek-nusapenida", "polsek-nusa-penida", R.STAFF, "Kapolsek Nusa Penida (demo)", None),
    ("kpu", "kpu-klungkung", R.STAFF, "Staf Logistik KPU Klungkung (demo)", None),
    ("jaksa", "kejari-klungkung", R.STAFF, "Jaksa Sentra Gakkumdu (demo)", None),
    # The province bodies of Bali: the roll-up per district (docs/situation-room.md, "Province and
    # national roll-ups"); in the demo their only district is Klungkung.
    ("bawaslu-bali", "bawaslu-provinsi-bali", R.STAFF, "Staf Bawaslu Provinsi Bali (demo)", None),
    ("polda-bali", "polda-bali", R.STAFF, "Biro Ops Polda Bali (demo)", None),
    ("kpu-bali", "kpu-provinsi-bali", R.STAFF, "Staf KPU Provinsi Bali (demo)", None),
]
# The province bodies the demo creates above its district: kind, slug.
PROVINCE_AGENCIES = [
    (Agency.Kind.BAWASLU_PROVINSI, "bawaslu-provinsi-bali"),
    (Agency.Kind.POLDA, "polda-bali"),
    (Agency.Kind.KPU_PROVINSI, "kpu-provinsi-bali"),
]


def seed(district_code: str) -> list[User]:
    """The district's agencies through `sinergi setup-district`'s own path, then the personas."""
    setup_district(actor=None, district_code=district_code)
    province = Region.objects.get(code=codes.province_of(district_code))
    for kind, slug in PROVINCE_AGENCIES:
        ensure_agency(actor=None, slug=slug, kind=kind, name=agency_name(kind, province), region_code=province.code)
    agencies = {agency.slug: agency for agency in Agency.objects.filter(slug__in=[slug for _, slug, *_ in PERSONAS])}
    return [
        ensure_user(actor=None, username=username, agency=agencies[slug], role=role, full_name=full_name, password=DEMO_PASSWORD, area_code=area)
        for username, slug, role, full_name, area in PERSONAS
    ]

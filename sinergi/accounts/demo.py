"""Demo agencies and personas for Klungkung. The password is public: demo use only."""

from sinergi.accounts.models import Agency, User
from sinergi.accounts.services import ensure_agency, ensure_user
from sinergi.regions.models import Region

DEMO_PASSWORD = "sinergi-demo"

K = Agency.Kind
R = User.Role

# slug, kind, name, region code
_DISTRICT_AGENCIES = [
    ("bawaslu-klungkung", K.BAWASLU, "Bawaslu Kabupaten Klungkung"),
    ("polres-klungkung", K.POLRES, "Polres Klungkung"),
    ("kpu-klungkung", K.KPU, "KPU Kabupaten Klungkung"),
    ("kejari-klungkung", K.KEJAKSAAN, "Kejaksaan Negeri Klungkung"),
    ("pemda-klungkung", K.PEMDA, "Pemerintah Kabupaten Klungkung (Satpol PP dan Linmas)"),
]

# username, agency slug, role, full name, area (None: the agency's)
PERSONAS = [
    ("bawaslu", "bawaslu-klungkung", R.ADMIN, "Staf Bawaslu Klungkung (demo)", None),
    ("panwascam-nusapenida", "panwascam-nusa-penida", R.STAFF, "Anggota Panwascam Nusa Penida (demo)", None),
    ("polres", "polres-klungkung", R.STAFF, "Bag Ops Polres Klungkung (demo)", None),
    ("polsek-nusapenida", "polsek-nusa-penida", R.STAFF, "Kapolsek Nusa Penida (demo)", None),
    ("kpu", "kpu-klungkung", R.STAFF, "Staf Logistik KPU Klungkung (demo)", None),
    ("jaksa", "kejari-klungkung", R.STAFF, "Jaksa Sentra Gakkumdu (demo)", None),
]


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def seed(district_code: str) -> list[User]:
    district = Region.objects.get(code=district_code)
    for slug, kind, name in _DISTRICT_AGENCIES:
        ensure_agency(actor=None, slug=slug, kind=kind, name=name, region_code=district.code)
    for kecamatan in Region.objects.filter(parent=district).order_by("code"):
        ensure_agency(actor=None, slug=f"panwascam-{_slug(kecamatan.name)}", kind=K.PANWASCAM, name=f"Panwaslu Kecamatan {kecamatan.name}", region_code=kecamatan.code)
        ensure_agency(actor=None, slug=f"polsek-{_slug(kecamatan.name)}", kind=K.POLSEK, name=f"Polsek {kecamatan.name}", region_code=kecamatan.code)
    for village in Region.objects.filter(parent__parent=district).order_by("code"):
        ensure_agency(
            actor=None,
            slug=f"pkd-{village.code.replace('.', '')}",
            kind=K.PKD,
            name=f"PKD {village.get_kind_display()} {village.name}",
            region_code=village.code,
        )
    agencies = {agency.slug: agency for agency in Agency.objects.all()}
    return [
        ensure_user(actor=None, username=username, agency=agencies[slug], role=role, full_name=full_name, password=DEMO_PASSWORD, area_code=area)
        for username, slug, role, full_name, area in PERSONAS
    ]

"""Demo agencies and personas for Klungkung. The password is public: demo use only."""

from sinergi.accounts.districts import setup_district
from sinergi.accounts.models import Agency, User
from sinergi.accounts.services import ensure_user

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
]


def seed(district_code: str) -> list[User]:
    """The district's agencies through `sinergi setup-district`'s own path, then the personas."""
    setup_district(actor=None, district_code=district_code)
    agencies = {agency.slug: agency for agency in Agency.objects.filter(slug__in=[slug for _, slug, *_ in PERSONAS])}
    return [
        ensure_user(actor=None, username=username, agency=agencies[slug], role=role, full_name=full_name, password=DEMO_PASSWORD, area_code=area)
        for username, slug, role, full_name, area in PERSONAS
    ]

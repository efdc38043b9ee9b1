import pytest

from sinergi.accounts.models import Agency, User
from sinergi.accounts.services import ensure_user
from tests import personas

# Administrators the demo does not have, named after their agency: "admin-<agency slug>".
PANWASCAM_NP = "panwascam-nusa-penida"
PANWASCAM_DAWAN = "panwascam-dawan"
POLRES = "polres-klungkung"
POLSEK_NP = "polsek-nusa-penida"
BAWASLU = "bawaslu-klungkung"
PKD_PED = "pkd-5105012010"


@pytest.fixture
def admin_of(db):
    """`admin_of("panwascam-dawan")`: an administrator of that agency (created on first use)."""

    def make(slug: str) -> User:
        agency = Agency.objects.get(slug=slug)
        ensure_user(actor=None, username=f"admin-{slug}", agency=agency, role=User.Role.ADMIN, full_name=f"Admin {agency.name}", password=personas.PASSWORD)
        return User.objects.select_related("agency").get(username=f"admin-{slug}")

    return make


@pytest.fixture
def admin_client(admin_of, client_of):
    """`admin_client("polres-klungkung")`: a client signed in as that agency's administrator."""

    def make(slug: str):
        return client_of(admin_of(slug).username)

    return make


@pytest.fixture
def dawan_pkd(db) -> Agency:
    return Agency.objects.filter(kind=Agency.Kind.PKD, region__code__startswith="51.05.04.").order_by("region_id").first()

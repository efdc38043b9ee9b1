import pytest

from sinergi.logistics.custody import create_consignments
from sinergi.logistics.models import Consignment
from sinergi.stations.models import Station
from tests import personas
from tests.logistics import network_pages


@pytest.fixture(scope="session")
def klungkung_plan(django_db_setup, django_db_blocker):
    """The demo plan, computed once for the session with the suite's solver budget."""
    from sinergi.elections.models import Election
    from sinergi.logistics.plans import compute
    from sinergi.regions.models import Region

    with django_db_blocker.unblock():
        election = Election.objects.get(slug="pemilu-2024")
        return compute(election, Region.objects.get(code="51.05"), Station.objects.filter(election=election))


@pytest.fixture
def ped17(pemilu):
    return Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)


@pytest.fixture
def consignment(user_of, pemilu, ped17):
    """Desa Ped TPS 17's outbound consignment (all consignments created by KPU)."""
    create_consignments(actor=user_of(personas.KPU), election=pemilu)
    return Consignment.objects.get(station=ped17, direction="keluar")


@pytest.fixture
def other_kpus(request, db):
    """For the network-page tests: a KPU of another district (Badung) and a KPU Klungkung officer narrowed to Nusa Penida
    (not in a test of its own transactions, whose base data is loaded after this)."""
    if "committed" in request.fixturenames:
        return
    from sinergi.accounts.models import Agency, User
    from sinergi.accounts.services import ensure_agency, ensure_user
    from sinergi.regions.models import Region

    Region.objects.get_or_create(code="51.03", defaults={"name": "Badung", "kind": Region.Kind.KABUPATEN, "parent_id": "51", "level": 2})
    badung = ensure_agency(actor=None, slug="kpu-badung", kind=Agency.Kind.KPU, name="KPU Badung", region_code="51.03")
    ensure_user(actor=None, username=network_pages.KPU_BADUNG, agency=badung, role=User.Role.ADMIN, full_name="KPU Badung", password=personas.PASSWORD)
    klungkung = Agency.objects.get(kind=Agency.Kind.KPU, users__username=personas.KPU)
    ensure_user(actor=None, username=network_pages.KPU_NUSA_PENIDA, agency=klungkung, role=User.Role.STAFF, full_name="KPU Nusa Penida", password=personas.PASSWORD, area_code="51.05.01")


@pytest.fixture
def kpu(client_of):
    return client_of(personas.KPU)

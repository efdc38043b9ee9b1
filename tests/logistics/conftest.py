import pytest

from sinergi.logistics.custody import create_consignments
from sinergi.logistics.models import Consignment
from sinergi.stations.models import Station
from tests import personas


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

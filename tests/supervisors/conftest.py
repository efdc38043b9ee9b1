import pytest

from sinergi.stations.models import Station
from sinergi.supervisors.models import Assignment
from tests import personas


@pytest.fixture
def ped17(pemilu):
    return Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)


@pytest.fixture
def ptps(user_of, ped17):
    """The ptps-ped account, tied to the supervisor of Ped TPS 17."""
    user = user_of(personas.PTPS_PED)
    supervisor = Assignment.objects.get(station=ped17, status__in=Assignment.ACTIVE).supervisor
    supervisor.user = user
    supervisor.save(update_fields=["user"])
    return user

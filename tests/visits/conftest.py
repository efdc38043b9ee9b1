from datetime import date

import pytest

from sinergi.accounts.models import Agency, User
from sinergi.stations.models import Station
from sinergi.visits.services import plan_visit
from tests import personas

# Pemilu 2024: the checklist's collection stage runs 3–8 February, voting is on 14 February.
IN_STAGE = date(2024, 2, 6)
AFTER_STAGE = date(2024, 2, 10)
PED = "51.05.01.2010"


def agency(slug: str) -> Agency:
    return Agency.objects.get(slug=slug)


def ped_stations(election, count: int) -> list[Station]:
    """TPS of Desa Ped, across the RoRo crossing, excluding TPS 17 and 18 (sangat rawan in the demo)."""
    return list(Station.objects.filter(election=election, village_id=PED).exclude(number__in=[17, 18]).order_by("number")[:count])


def lembongan_stations(election, count: int) -> list[Station]:
    return list(Station.objects.filter(election=election, village__name="Jungutbatu").order_by("number")[:count])


def joint_agencies() -> list[int]:
    return [agency("bawaslu-klungkung").pk, agency("panwascam-nusa-penida").pk, agency("polsek-nusa-penida").pk]


def other_kecamatan_user(kind_slug: str, username: str) -> User:
    """A user of an agency of Kecamatan Dawan (e.g. `polsek-dawan`, `panwascam-dawan`)."""
    return User.objects.create_user(username=username, agency=agency(kind_slug), role=User.Role.STAFF)


@pytest.fixture
def ped_visit(pemilu, user_of):
    """Bawaslu, the Panwascam and the Polsek to three Ped TPS on 6 February 2024."""
    return plan_visit(
        actor=user_of(personas.BAWASLU),
        election=pemilu,
        day=IN_STAGE,
        station_ids=[s.pk for s in ped_stations(pemilu, 3)],
        agency_ids=joint_agencies(),
        team="Anggota Bawaslu\nKapolsek Nusa Penida",
        today=date(2024, 2, 1),
    )

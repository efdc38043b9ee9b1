import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sinergi.accounts.models import Agency, PolsekCoverage, User
from sinergi.accounts.services import ensure_user
from sinergi.stations.models import Station
from sinergi.supervisors.models import Assignment, Incident
from sinergi.supervisors.reports import submit_report
from tests import personas
from tests.supervisors import police


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


# -- an incident on voting day morning (test_incidents.py, test_incident_clocks.py) --------------

@pytest.fixture
def voting_morning(pemilu, on):
    moment = datetime(2024, 2, 14, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    on(moment)
    return moment


@pytest.fixture
def incident(pemilu, ptps, voting_morning):
    """A serious incident filed by the PTPS of Ped TPS 17 (Nusa Penida, across the RoRo crossing)."""
    station = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)
    return Incident.objects.create(
        election=pemilu, station=station, client_id=uuid.uuid4(), category="intimidasi", severity="tinggi", occurred_at=voting_morning - timedelta(minutes=5),
        description="Massa menghalangi pemilih.", filed_by=ptps,
    )  # fmt: skip


@pytest.fixture
def mainland_incident(pemilu, voting_morning):
    station = Station.objects.filter(election=pemilu, village__code__startswith="51.05.03.", access=Station.Access.LAND).order_by("pk").first()
    return Incident.objects.create(
        election=pemilu, station=station, client_id=uuid.uuid4(), category="logistik", severity="sedang", occurred_at=voting_morning, description="Surat suara kurang."
    )


@pytest.fixture
def polsek_elsewhere(db) -> User:
    """The Polsek of another kecamatan (Dawan, Klungkung or Banjarangkan)."""
    agency = Agency.objects.filter(kind=Agency.Kind.POLSEK).exclude(region_id="51.05.01").order_by("slug").first()
    return ensure_user(actor=None, username="polsek-lain", agency=agency, role=User.Role.STAFF, full_name="Polsek lain", password=personas.PASSWORD)


# -- the police-read tests (test_police_read.py, test_police_concerns.py) -------------------------


@pytest.fixture
def reported17(pemilu):
    """Ped TPS 17 as the police-read tests see it (the demo's high-severity incident) with a Form A whose narrative names a person
    and whose answers include a security one (kotak_tersegel) and others (dpt_ditempel); later
    than the demo's preparation report, so the one whose answers are shown."""
    station = police.tps(pemilu, "51.05.01.2010", 17)
    answers = {"kotak_tersegel": False, "logistik_lengkap": True, "dpt_ditempel": True, "kpps_hadir": 6}
    submit_report(
        actor=None, station=station, stage="persiapan", client_id=uuid.uuid4(), answers=answers, narrative=police.NARRATIVE, observed_at=police.at(pemilu, "08:30")
    )
    return station


@pytest.fixture
def np_guards_dawan(db):
    """Polsek Nusa Penida guards Kecamatan Dawan too (as the Polres may set it)."""
    return PolsekCoverage.objects.create(kecamatan_id=police.DAWAN, polsek=Agency.objects.get(kind=Agency.Kind.POLSEK, region_id=police.NUSA_PENIDA))

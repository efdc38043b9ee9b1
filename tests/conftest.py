import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings

from sinergi.accounts import demo as accounts_demo
from sinergi.accounts import queries as account_queries
from sinergi.accounts.models import User
from sinergi.elections.models import Election
from sinergi.elections.presets import PRESETS
from sinergi.elections.services import install_preset
from sinergi.guard import demo as guard_demo
from sinergi.logistics import demo as logistics_demo
from sinergi.regions import demo as regions_demo
from sinergi.risk import demo as risk_demo
from sinergi.stations import demo as stations_demo
from sinergi.supervisors import checklists, reports
from sinergi.supervisors import demo as supervisors_demo
from tests import personas

# Property tests judge what the code answers, never how fast this machine is: no per-example
# deadline and no "too slow" health check (a shared CI machine runs them at any speed).
settings.register_profile("sinergi", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("sinergi")


def load_base_data() -> None:
    """Klungkung, both election presets with their demo TPS, agencies and personas."""
    regions_demo.load_klungkung()
    for slug in PRESETS:
        install_preset(actor=None, slug=slug)
    accounts_demo.seed(regions_demo.KLUNGKUNG_CODE)
    personas.create_extra_personas()
    for slug in stations_demo.TARGETS:
        stations_demo.seed(Election.objects.get(slug=slug), regions_demo.KLUNGKUNG_CODE)
    for election in Election.objects.all():
        risk_demo.seed(election)
        guard_demo.seed(election)
        supervisors_demo.seed(election)
        logistics_demo.seed(election)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Committed once for the session; each test runs in a transaction rolled back after it.
    with django_db_blocker.unblock():
        load_base_data()


@pytest.fixture
def committed(transactional_db) -> None:
    """The base data in a database without the test's wrapping transaction: for write paths whose
    correctness depends on a real transaction (each service opens and commits its own). The
    database is emptied after such a test, so the base data is loaded again for each."""
    load_base_data()


@pytest.fixture
def pemilu(db) -> Election:
    return Election.objects.get(slug="pemilu-2024")


@pytest.fixture
def pilkada(db) -> Election:
    return Election.objects.get(slug="pilkada-2024")


@pytest.fixture
def user_of(db):
    def get(username: str) -> User:
        return User.objects.select_related("agency").get(username=username)

    return get


@pytest.fixture
def on(monkeypatch):
    """Time travel: `on(moment)` makes `timezone.now()` answer `moment` for the rest of the test."""

    def at(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return at


@pytest.fixture
def ptps(user_of, pemilu):
    """The ptps-ped account tied to the supervisor of Ped TPS 17 (a PTPS sees the TPS of its post)."""
    from sinergi.supervisors.models import Assignment

    user = user_of(personas.PTPS_PED)
    supervisor = Assignment.objects.get(station__election=pemilu, station__village_id="51.05.01.2010", station__number=17, status__in=Assignment.ACTIVE).supervisor
    supervisor.user = user
    supervisor.save(update_fields=["user"])
    return user


@pytest.fixture
def client_of(user_of):
    """`client_of("polres")`: a test client signed in as that persona."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(user_of(username))
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_filing_caches():
    # A server process keeps TPS and checklists for a while (supervisors/reports.py); a test's
    # rolled-back rows must not outlive it there.
    yield
    reports.forget_stations()
    checklists.forget_checklists()
    account_queries.forget_tokens()


@pytest.fixture
def bali(pemilu, on):
    """The small province of tests/situation/province.py beside Klungkung (a second Bali district,
    Rekaan Barat, and one of NTB), at its counted moment of voting day; its TPS per district."""
    from tests.situation import province

    stations = province.build(pemilu)
    on(province.moment(pemilu))
    return stations

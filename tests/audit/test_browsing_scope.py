"""Who reads which audit events at /audit/: a district's Bawaslu administrator reads its own area's
events and the shared national ones (an election's definition), never a national
body's accounts nor what another district's KPU did; a national viewer reads everything."""

import pytest

from sinergi.accounts.models import Agency, User
from sinergi.accounts.services import ensure_agency, ensure_user
from sinergi.audit.models import AuditEvent
from sinergi.audit.queries import events_for_browsing
from sinergi.logistics.custody import create_consignments
from tests import personas
from tests.audit.districts import DENPASAR, denpasar_station


@pytest.fixture
def denpasar_kpu(pemilu):
    denpasar_station(pemilu)
    agency = ensure_agency(actor=None, slug="kpu-denpasar", kind=Agency.Kind.KPU, name="KPU Kota Denpasar", region_code=DENPASAR)
    return ensure_user(actor=None, username="kpu-denpasar", agency=agency, role=User.Role.ADMIN, full_name="KPU Denpasar", password=personas.PASSWORD)


@pytest.mark.django_db
def test_a_district_administrator_reads_its_area_and_the_shared_events_only(pemilu, user_of, denpasar_kpu):
    national = ensure_agency(actor=None, slug="bawaslu-ri", kind=Agency.Kind.BAWASLU_RI, name="Bawaslu RI", region_code=None)
    ensure_user(actor=None, username="staf-ri", agency=national, role=User.Role.STAFF, full_name="Staf Bawaslu RI", password=personas.PASSWORD, email="staf@bawaslu.go.id")
    create_consignments(actor=denpasar_kpu, election=pemilu)
    create_consignments(actor=user_of(personas.KPU), election=pemilu)
    klungkung = events_for_browsing(user_of(personas.BAWASLU))
    seen = set(klungkung.values_list("action", "region"))
    assert ("consignment.create", "51.05") in seen and ("consignment.create", DENPASAR) not in seen
    assert not klungkung.filter(object_type="accounts.user", object_repr="staf-ri").exists()
    assert not klungkung.filter(object_type="accounts.agency", object_repr="Bawaslu RI").exists()
    assert klungkung.filter(action="election.create", region="").exists()  # shared: the election itself
    # The operator (a national viewer) reads all of them.
    everything = events_for_browsing(User.objects.create_superuser("operator-audit", password="x"))
    assert everything.count() == AuditEvent.objects.count()
    assert everything.filter(object_repr="staf-ri").exists() and everything.filter(action="consignment.create", region=DENPASAR).exists()

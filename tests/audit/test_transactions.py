"""Write paths through their real URLs with real transactions (no test-wide transaction around them).

Every other test runs inside one transaction, which hides a service that forgot its own: the audit
trail refuses to be written outside a transaction, so such a service fails in production only.
These tests commit for real; each starts from the base data loaded afresh (`committed`).
"""

import pytest
from django.db import connection

from sinergi.audit.models import AuditEvent
from sinergi.supervisors.models import Assignment
from tests import personas


@pytest.fixture(autouse=True)
def _no_test_transaction(committed):
    assert not connection.in_atomic_block  # what these tests are for


@pytest.mark.django_db(transaction=True)
def test_bawaslu_reveals_a_full_nik_and_the_read_is_audited(client_of, pemilu):
    assignment = Assignment.objects.filter(election=pemilu, region_id="51.05.01.2010").select_related("supervisor").first()
    response = client_of(personas.BAWASLU).post(f"/pemilihan/pemilu-2024/pengawas/{assignment.pk}/", {"reveal": "1"})
    assert response.status_code == 200 and assignment.supervisor.nik in response.text
    event = AuditEvent.objects.filter(action="personal_data.read").get()
    assert (event.actor_username, event.object_id) == (personas.BAWASLU, str(assignment.supervisor.pk))

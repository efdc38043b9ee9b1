"""Applying a visit's waiting findings twice at the same moment (PostgreSQL, real transactions)."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.elections.models import Election
from sinergi.risk.models import ChecklistAnswer
from sinergi.visits.models import VisitStop
from sinergi.visits.services import apply_findings, plan_visit, record_findings
from tests import personas
from tests.visits.conftest import AFTER_STAGE, joint_agencies, ped_stations


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer on one database lock: nothing to race")
@pytest.mark.django_db(transaction=True)
def test_two_bawaslu_officers_applying_the_same_findings_apply_them_once(committed):
    pemilu = Election.objects.get(slug="pemilu-2024")
    polsek = User.objects.get(username=personas.POLSEK_NUSA_PENIDA)
    visit = plan_visit(
        actor=polsek,
        election=pemilu,
        day=AFTER_STAGE,
        station_ids=[s.pk for s in ped_stations(pemilu, 1)],
        agency_ids=joint_agencies(),
        team="Tim",
        today=date(2024, 2, 9),
    )
    stop = visit.stops.select_related("visit__election", "visit__region", "station__village", "station__election").get()
    record_findings(actor=polsek, stop=stop, findings={"2.2": (True, "Ancaman")}, today=AFTER_STAGE)
    officers = [User.objects.get(username=personas.BAWASLU), User.objects.get(username=personas.BAWASLU_STAFF)]
    start = threading.Barrier(2)
    outcomes = []

    def apply(officer):
        try:
            mine = VisitStop.objects.select_related("visit__election", "visit__region", "station__village", "station__election").get(pk=stop.pk)
            start.wait()
            apply_findings(actor=officer, stop=mine, today=AFTER_STAGE)
            outcomes.append("applied")
        except ValidationError as refused:
            outcomes.append(" ".join(refused.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["Temuan ini sudah diterapkan pada daftar periksa.", "applied"], outcomes
    assert AuditEvent.objects.filter(action="visit.apply").count() == 1
    assert ChecklistAnswer.objects.get(station=stop.station, indicator__code="2.2").visit_id == visit.pk

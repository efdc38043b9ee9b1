"""The demo visits to Nusa Penida before voting day: one raised a TPS to "rawan", awaiting the police."""

from datetime import date

import pytest

from sinergi.audit.models import AuditEvent
from sinergi.risk import demo as risk_demo
from sinergi.risk.models import ChecklistAnswer, StationClass
from sinergi.risk.queries import suggestion_changes, suggestions_for_stations
from sinergi.visits import demo
from sinergi.visits.models import Visit, VisitStop
from tests import personas


@pytest.mark.django_db
def test_the_demo_visits_nusa_penida_before_voting_day_once(pemilu, pilkada, user_of):
    assert demo.seed(pilkada) == 0
    assert demo.seed(pemilu) == 4
    events = AuditEvent.objects.count()
    assert demo.seed(pemilu) == 0 and AuditEvent.objects.count() == events  # idempotent
    visits = list(Visit.objects.order_by("day"))
    assert [v.day for v in visits] == [date(2024, 2, 6), date(2024, 2, 9), date(2024, 2, 10), date(2024, 2, 12)]
    assert all(v.region_id == "51.05.01" and v.day < pemilu.voting_date for v in visits)
    assert [v.status for v in visits] == ["selesai", "batal", "rencana", "rencana"]
    assert all(v.crossing == "Padangbai – Sampalan/Mentigi (kapal RoRo)" for v in visits)

    raised = VisitStop.objects.get(visit=visits[0], suggestion_before="kurang_rawan", suggestion_after="rawan")
    assert raised.applied_at is not None and raised.photo
    answer = ChecklistAnswer.objects.get(station=raised.station, indicator__code="2.2")
    assert answer.present and answer.visit_id == visits[0].pk and answer.evidence
    assert suggestions_for_stations(pemilu, [raised.station])[raised.station.pk].level == "rawan"
    # The police class stays the police's: kurang rawan, awaiting Polsek Nusa Penida's confirmation.
    assert StationClass.objects.get(station=raised.station).level == "kurang_rawan"
    awaiting = {c.station.pk: c.suggested for c in suggestion_changes(user_of(personas.POLSEK_NUSA_PENIDA), pemilu)}
    assert awaiting[raised.station.pk] == "rawan"
    # The Polsek's findings after the stage wait for Bawaslu.
    waiting = VisitStop.objects.get(visit=visits[2], recorded_at__isnull=False)
    assert waiting.applied_at is None and waiting.recorded_by.username == personas.POLSEK_NUSA_PENIDA
    assert visits[1].cancel_reason.startswith("Gelombang tinggi")
    # `sinergi demo` again: the checklist demo leaves the answers a visit wrote.
    assert risk_demo.seed(pemilu) == 0
    answer.refresh_from_db()
    assert answer.present and answer.visit_id == visits[0].pk

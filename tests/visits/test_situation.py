"""The situation room's share of joint visits: today's and tomorrow's visits, and findings waiting
for Bawaslu; scoped like the pages."""

from datetime import UTC, date, datetime

from sinergi.situation.sources import DEADLINE_ALERT_SOURCES
from sinergi.visits.queries import situation_alerts
from sinergi.visits.services import record_findings
from tests import personas
from tests.visits.conftest import other_kecamatan_user

# 5 February 2024, 10.00 WITA: the day before the Ped visit.
EVE = datetime(2024, 2, 5, 2, 0, tzinfo=UTC)
# 10 February 2024, 10.00 WITA: after the collection stage.
LATER = datetime(2024, 2, 10, 2, 0, tzinfo=UTC)


def test_the_visits_alerts_are_a_source_of_the_situation_room():
    assert "sinergi.visits.queries.situation_alerts" in DEADLINE_ALERT_SOURCES


def test_tomorrows_visit_shows_to_both_agencies_of_the_area_only(ped_visit, user_of, pemilu):
    for username in (personas.BAWASLU, personas.POLSEK_NUSA_PENIDA, personas.POLRES):
        (alert,) = situation_alerts(user_of(username), pemilu, EVE)
        assert alert.level == "info" and alert.title == "Kunjungan bersama besok: Kecamatan Nusa Penida, 3 TPS"
        assert "kapal 09.00, kembali" in alert.detail and alert.url.endswith(f"/kunjungan/{ped_visit.pk}/")
    assert situation_alerts(other_kecamatan_user("polsek-dawan", "polsek-dawan-uji"), pemilu, EVE) == []
    assert situation_alerts(user_of(personas.KPU), pemilu, EVE) == []
    assert situation_alerts(user_of(personas.BAWASLU), pemilu, datetime(2024, 2, 7, 2, 0, tzinfo=UTC)) == []  # past


def test_findings_waiting_for_bawaslu_warn_those_who_may_apply_them(ped_visit, user_of, pemilu):
    stop = ped_visit.stops.select_related("station", "visit__election", "visit__region").first()
    record_findings(actor=user_of(personas.POLSEK_NUSA_PENIDA), stop=stop, findings={"2.2": (True, "")}, today=date(2024, 2, 10))
    (alert,) = situation_alerts(user_of(personas.BAWASLU), pemilu, LATER)
    assert alert.level == "warning" and alert.title.startswith("1 TPS: temuan kunjungan bersama menunggu") and str(stop.station) in alert.detail
    assert situation_alerts(user_of(personas.POLSEK_NUSA_PENIDA), pemilu, LATER) == []  # it may not apply them

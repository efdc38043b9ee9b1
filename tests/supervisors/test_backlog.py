"""The chaining backlog alert: voting-day intake not chained into the audit trail in time is named in
the situation room for those who read the trail (supervisors/sealing.py)."""

import time
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from sinergi.stations.models import Station
from sinergi.supervisors import sealing
from sinergi.supervisors.models import Incident, Report
from sinergi.supervisors.reports import submit_report
from sinergi.supervisors.sealing import seal_pending, situation_alerts
from tests import personas

VOTING = {"dibuka_tepat_waktu": True, "saksi_hadir": 4, "pemilih_tidak_berhak": False, "intimidasi": False}
FILED = datetime(2024, 2, 14, 11, 0, tzinfo=ZoneInfo("Asia/Makassar"))


@pytest.mark.django_db
@override_settings(AUDIT_BACKLOG_ALERT_SECONDS=120, AUDIT_SEAL_INTERVAL=3600)
def test_a_report_left_unchained_is_named_after_the_threshold_and_gone_once_sealed(pemilu, user_of, on, monkeypatch):
    seal_pending()
    # This process sealed a moment ago and seals again only in an hour: as if no sealer ran (no
    # `seal-intake` timer), the next report waits.
    monkeypatch.setitem(sealing._last, "at", time.monotonic())
    assert Report.objects.filter(audited=False).count() == Incident.objects.filter(audited=False).count() == 0
    on(FILED)
    station = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)
    submit_report(actor=None, station=station, stage="pemungutan", client_id=uuid.uuid4(), answers=VOTING, narrative="", observed_at=FILED)
    bawaslu, polres = user_of(personas.BAWASLU), user_of(personas.POLRES)
    assert situation_alerts(bawaslu, pemilu, FILED + timedelta(seconds=119)) == []
    [alert] = situation_alerts(bawaslu, pemilu, FILED + timedelta(minutes=3))
    assert (alert.level, alert.at) == ("danger", FILED)
    assert alert.title == "1 laporan/kejadian belum masuk jejak audit; tertua 3 menit"
    assert situation_alerts(polres, pemilu, FILED + timedelta(minutes=3)) == []  # the police do not read the trail
    seal_pending()
    assert situation_alerts(bawaslu, pemilu, FILED + timedelta(minutes=3)) == []

"""The coverage board's nudge: every PTPS of the sender's area whose TPS has not reported a stage
by a time is notified, after a confirmation; the PTPS that reported and those outside the area
are not."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sinergi.audit.models import AuditEvent
from sinergi.notifications.models import Notification
from sinergi.stations.models import Station
from sinergi.supervisors.models import Report
from tests import personas
from tests.notifications.helpers import field_account

PED = "51.05.01.2010"
NUDGE = "/pemilihan/pemilu-2024/pengawasan/ingatkan/"
WITA = ZoneInfo("Asia/Makassar")


def setting(pemilu):
    """Three PTPS with field accounts: Ped TPS 17 (not reported), Ped TPS 1 (reported the
    preparation at 06.50), a mainland TPS (not reported, outside Nusa Penida)."""
    Report.objects.filter(election=pemilu, stage="persiapan").delete()
    late = field_account(pemilu, PED, 17, "ptps-ped-17")
    on_time = field_account(pemilu, PED, 1, "ptps-ped-1")
    mainland_station = (
        Station.objects.filter(election=pemilu, village__parent_id="51.05.03", supervisor_assignments__status__in=["memenuhi_syarat", "dilantik"])
        .order_by("pk")
        .first()
    )
    mainland = field_account(pemilu, mainland_station.village_id, mainland_station.number, "ptps-daratan")
    station = Station.objects.get(election=pemilu, village_id=PED, number=1)
    Report.objects.create(
        election=pemilu, station=station, stage="persiapan", client_id=uuid.uuid4(), observed_at=datetime(2024, 2, 14, 6, 50, tzinfo=WITA), audited=True
    )
    return late, on_time, mainland


def nudged():
    return set(Notification.objects.filter(kind="coverage.nudge").values_list("recipient__username", flat=True))


def test_the_nudge_asks_first_then_reminds_only_the_ptps_of_the_area_missing_the_stage(client_of, pemilu):
    setting(pemilu)
    panwascam = client_of(personas.PANWASCAM_NUSA_PENIDA)
    ask = panwascam.post(NUDGE, {"stage": "persiapan", "time": "07:30"})
    page = ask.content.decode()
    assert ask.status_code == 200 and 'data-testid="confirm"' in page and not nudged()
    done = panwascam.post(NUDGE, {"stage": "persiapan", "time": "07:30", "confirm": "1"})
    assert done.status_code == 302 and done["Location"] == "/pemilihan/pemilu-2024/pengawasan/?tahap=persiapan"
    # Ped 17 had not reported; Ped 1 had; the mainland PTPS is outside Nusa Penida.
    assert "ptps-ped-17" in nudged() and "ptps-ped-1" not in nudged() and "ptps-daratan" not in nudged()
    n = Notification.objects.get(kind="coverage.nudge", recipient__username="ptps-ped-17")
    assert "Persiapan" in n.title and "07:30" in n.body and n.url == "/lapangan/"
    event = AuditEvent.objects.get(action="notifications.nudge")
    assert event.changes["stage"][1] == "persiapan" and event.changes["recipients"][1] == len(nudged())
    # Asked again for the same stage and time: nobody is reminded twice.
    panwascam.post(NUDGE, {"stage": "persiapan", "time": "07:30", "confirm": "1"})
    assert Notification.objects.filter(kind="coverage.nudge", recipient__username="ptps-ped-17").count() == 1


def test_bawaslu_nudges_its_whole_district_and_the_time_decides_who_is_late(client_of, pemilu):
    setting(pemilu)
    bawaslu = client_of(personas.BAWASLU)
    bawaslu.post(NUDGE, {"stage": "persiapan", "time": "06:30", "confirm": "1"})  # before Ped 1's report
    assert {"ptps-ped-17", "ptps-ped-1", "ptps-daratan"} <= nudged()


def test_who_may_nudge(client_of, pemilu):
    for username in (personas.POLRES, personas.POLSEK_NUSA_PENIDA, personas.KPU, personas.PTPS_PED):
        assert client_of(username).post(NUDGE, {"stage": "persiapan", "time": "07:30", "confirm": "1"}).status_code == 403, username
    assert not nudged()


def test_the_board_offers_the_nudge_to_those_who_may(client_of):
    assert 'data-testid="nudge"' in client_of(personas.PANWASCAM_NUSA_PENIDA).get("/pemilihan/pemilu-2024/pengawasan/").content.decode()

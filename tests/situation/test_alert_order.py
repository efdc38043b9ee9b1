"""The room's alerts in order of severity and of the event's own time: every source stamps an
alert with the moment of its event, never with the clock; the overflow opens the full list, scoped
like the room."""

from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.module_loading import import_string

from sinergi.cases.models import Case
from sinergi.cases.services import file_public_report
from sinergi.coordination.services import record_meeting
from sinergi.core.alerts import Alert, ordered
from sinergi.logistics.custody import Reported, create_consignments, dispatch, record_handover
from sinergi.logistics.models import Consignment, DistributionPlan
from sinergi.situation import sources
from sinergi.situation.views import ALERTS_SHOWN
from sinergi.stations.models import Station
from tests import personas
from tests.cases.test_cases import PED, facts
from tests.coordination.data import meeting_data
from tests.situation.conftest import NUSA_PENIDA, at, file_incident

LIVE = "/pemilihan/{}/situasi/terkini/"


def late_convoys(election, n=60) -> None:
    """A stored plan of `n` one-stop convoys due on the day before voting (H-1), none delivered yet."""
    stations = list(Station.objects.filter(election=election).order_by("village_id", "number").values_list("pk", flat=True)[: n * 3])
    day = election.voting_date - timedelta(days=1)
    convoys = [
        {"id": f"D{k + 1}", "kind": "darat", "vehicle": "Truk KPU", "stops": [{"place": f"Gudang {k + 1}", "arrive": f"{day}T{6 + k % 10:02d}:{k % 60:02d}:00", "station_ids": stations[3 * k : 3 * k + 3]}]}
        for k in range(n)
    ]
    DistributionPlan.objects.create(election=election, district_id="51.05", reason="uji", data={"convoys": convoys})


def test_danger_first_then_the_most_recent_event_and_a_deadline_ahead_counts_as_now():
    now = datetime.fromisoformat("2024-02-14T10:00+08:00")
    hours = lambda n: now + timedelta(hours=n)  # noqa: E731
    convoy = Alert("danger", "Logistik", "konvoi", at=hours(-20))
    incident = Alert("danger", "Laporan PTPS", "kejadian", at=hours(-0.5))
    missing = Alert("danger", "Laporan PTPS", "belum melapor", at=hours(-2.5))
    soon, later = Alert("warning", "Rapat", "besok", at=hours(20)), Alert("warning", "Rapat", "lusa", at=hours(40))
    finding = Alert("warning", "Logistik", "temuan", at=hours(-1))
    minor, undated = Alert("info", "Laporan PTPS", "kecil", at=hours(-3)), Alert("info", "X", "tanpa waktu")
    assert ordered([undated, later, convoy, finding, minor, soon, missing, incident], now) == [incident, missing, convoy, soon, later, finding, minor, undated]


@pytest.mark.django_db
def test_a_serious_incident_of_today_comes_before_fifty_older_convoy_alerts(client_of, user_of, pemilu):
    late_convoys(pemilu)
    create_consignments(actor=user_of(personas.KPU), election=pemilu)  # planned, none dispatched: every convoy is behind
    ped17 = Station.objects.get(election=pemilu, village_id=PED, number=17)
    file_incident(user_of(personas.BAWASLU_STAFF), ped17, "tinggi", at(pemilu, "09:40"), "Intimidasi terhadap pemilih di TPS 17 Ped")
    query = f"?pada={pemilu.voting_date}T10:00"
    page = client_of(personas.BAWASLU).get(LIVE.format(pemilu.slug) + query)
    alerts = page.context["situation"].alerts
    convoys = [n for n, a in enumerate(alerts) if a.title.startswith("Konvoi")]
    assert len(convoys) >= 50
    incident = next(n for n, a in enumerate(alerts) if "Intimidasi terhadap pemilih" in a.detail)
    missing = next(n for n, a in enumerate(alerts) if "belum mengirim Form A" in a.title)
    assert incident < missing < min(convoys)  # today's events before yesterday's convoys
    assert alerts[incident] == page.context["alerts"][0]
    # Each convoy alert carries the planned arrival it missed, before the moment shown.
    assert all(alerts[n].at < at(pemilu, "10:00") for n in convoys)
    # The rest are a link to the full list, scoped like the room and at the same moment.
    assert len(alerts) > ALERTS_SHOWN
    more = reverse("situation:alerts", args=[pemilu.slug]) + "?" + urlencode({"pada": f"{pemilu.voting_date}T10:00"})
    assert f'href="{more}" data-testid="alerts-more"' in page.text


@pytest.mark.django_db
def test_the_full_alert_list_is_scoped_like_the_room_in_the_same_order(client_of, user_of, pemilu):
    late_convoys(pemilu)
    create_consignments(actor=user_of(personas.KPU), election=pemilu)
    np_station = Station.objects.filter(election=pemilu, village__code__startswith=NUSA_PENIDA + ".").order_by("pk").first()
    mainland = Station.objects.filter(election=pemilu, village__code__startswith="51.05.03.").order_by("pk").first()
    file_incident(user_of(personas.BAWASLU_STAFF), np_station, "tinggi", at(pemilu, "09:40"), "Kejadian di Nusa Penida")
    file_incident(user_of(personas.BAWASLU_STAFF), mainland, "tinggi", at(pemilu, "09:45"), "Kejadian di daratan")
    url = reverse("situation:alerts", args=[pemilu.slug]) + f"?pada={pemilu.voting_date}T10:00"
    bawaslu = client_of(personas.BAWASLU).get(url)
    assert bawaslu.status_code == 200
    everything = bawaslu.context["page"].paginator.object_list
    room = client_of(personas.BAWASLU).get(LIVE.format(pemilu.slug) + f"?pada={pemilu.voting_date}T10:00").context["situation"].alerts
    assert [a for a in everything if a.source in ("Logistik", "Laporan PTPS")] == room  # the room's alerts, all of them, in its order
    assert "Kejadian di daratan" in bawaslu.text and "Kejadian di Nusa Penida" in bawaslu.text
    panwascam = client_of(personas.PANWASCAM_NUSA_PENIDA).get(url)
    shown = panwascam.context["page"].paginator.object_list
    assert "Kejadian di Nusa Penida" in panwascam.text and "Kejadian di daratan" not in panwascam.text
    assert not any(a.source == "Logistik" for a in shown)  # the Panwascam sees no logistics in the room either
    danger = client_of(personas.BAWASLU).get(url + "&tingkat=danger").context["page"].paginator.object_list
    assert danger and all(a.level == "danger" for a in danger) and len(danger) == bawaslu.context["levels"]["danger"]
    assert client_of(personas.PTPS_PED).get(url).status_code == 403


@pytest.mark.django_db
def test_the_full_alert_list_stays_within_its_query_budget(client_of, user_of, pemilu, django_assert_max_num_queries):
    late_convoys(pemilu)
    create_consignments(actor=user_of(personas.KPU), election=pemilu)
    client = client_of(personas.BAWASLU)
    url = reverse("situation:alerts", args=[pemilu.slug])
    client.get(url)  # session warm
    with django_assert_max_num_queries(30):  # 29 on SQLite: the live sources (incident clocks, unstaffed posts) and the deadline card's (visits), each reading its board, and the header
        assert len(client.get(url).context["page"].paginator.object_list) > 60


@pytest.mark.django_db
def test_every_alert_source_stamps_its_event_not_the_clock(client_of, user_of, pemilu, on):
    """Seen an hour apart with nothing changed in between, every alert keeps its moment."""
    kpu = user_of(personas.KPU)
    # Received on Sunday the 11th, its initial review (two working days after receipt) runs out on the 13th.
    on(datetime.fromisoformat("2024-02-11T10:00+08:00"))
    file_public_report(election=pemilu, source=Case.Source.VOTER, region_code=PED, facts=facts())
    record_meeting(actor=user_of(personas.BAWASLU), election=pemilu, **meeting_data())  # the escort is due on the 13th
    late_convoys(pemilu)
    create_consignments(actor=kpu, election=pemilu)
    ped = Consignment.objects.get(station__election=pemilu, station__village_id=PED, station__number=17, direction="keluar")
    dispatch(actor=kpu, consignment=ped, seals=["S-1"])
    fields = {"place": "Kantor Desa Ped", "giver_name": "I Made", "receiver_name": "Ni Kadek"}
    record_handover(actor=kpu, consignment=ped, from_party="kpu:51.05", to_party="pps:51.05.01.2010", reported=[Reported("kurang", "surat-suara-dpr", 3, "")], **fields)
    file_incident(user_of(personas.BAWASLU_STAFF), ped.station, "sedang", at(pemilu, "08:15"))
    bawaslu = user_of(personas.BAWASLU)
    first, second = at(pemilu, "10:00"), at(pemilu, "11:00")
    # The four sources this scenario gives alerts to must show some; any other registered source
    # (one added later) is held to the same rule for whatever alerts it gives here.
    exercised = {f"sinergi.{app}.queries.situation_alerts" for app in ("logistics", "supervisors", "cases", "coordination")}
    assert exercised <= set(sources.ALERT_SOURCES + sources.DEADLINE_ALERT_SOURCES)
    for path in sources.ALERT_SOURCES + sources.DEADLINE_ALERT_SOURCES:
        source = import_string(path)
        before, after = source(bawaslu, pemilu, first), source(bawaslu, pemilu, second)
        assert all(a.at is not None for a in before + after), path
        moments = lambda alerts: {(a.title, a.detail): a.at for a in alerts}  # noqa: E731
        seen_twice = moments(before).keys() & moments(after).keys()
        assert seen_twice or path not in exercised, path
        assert {k: moments(before)[k] for k in seen_twice} == {k: moments(after)[k] for k in seen_twice}, path
        assert all(a.at != first for a in before), path

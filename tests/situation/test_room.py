"""The situation room: each agency sees exactly its share, the counts are right, alerts from every
source (a failing one does not take the page down), the live fragment and the map layers."""

import pytest
from django.urls import reverse

from sinergi.accounts.permissions import Perm
from sinergi.core.alerts import Alert
from sinergi.guard.queries import plan_for, posts_for
from sinergi.logistics.custody import Reported, create_consignments, dispatch, record_handover
from sinergi.logistics.models import Consignment
from sinergi.risk.models import StationClass
from sinergi.situation import sources
from sinergi.stations.models import Station
from tests import personas
from tests.situation.conftest import NUSA_PENIDA, at, file_incident, file_report

ROOM = "/pemilihan/{}/situasi/"
LIVE = "/pemilihan/{}/situasi/terkini/"
LAYER = "/pemilihan/{}/situasi/lapisan/{}.geojson"
ALL_LAYERS = ["tps", "indikator", "kelas", "pos", "logistik", "laporan"]

# username -> (layers offered, parts shown: classes, guard, logistics, reports)
SHARES = {
    personas.BAWASLU: (ALL_LAYERS, {"classes", "guard", "logistics", "reports"}),
    personas.POLRES: (ALL_LAYERS, {"classes", "guard", "logistics", "reports"}),
    personas.POLSEK_NUSA_PENIDA: (ALL_LAYERS, {"classes", "guard", "logistics", "reports"}),
    personas.KPU: (["tps", "indikator", "logistik"], {"logistics"}),
    personas.JAKSA: (["tps", "indikator"], set()),
    personas.PANWASCAM_NUSA_PENIDA: (["tps", "indikator", "laporan"], {"reports"}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("username", list(SHARES))
def test_each_agency_sees_exactly_its_share(client_of, pemilu, username):
    layers, parts = SHARES[username]
    client = client_of(username)
    page = client.get(ROOM.format(pemilu.slug))
    assert page.status_code == 200
    assert [kind for kind, _label in page.context["layers"]] == layers
    situation = page.context["situation"]
    shown = {part for part in ("classes", "logistics", "reports") if getattr(situation, part) is not None}
    assert shown == parts - {"guard"}
    assert ('id="situation-guard"' in page.text) == ("guard" in parts)
    guard = client.get(f"/pemilihan/{pemilu.slug}/situasi/pengamanan/")
    assert guard.status_code == (200 if "guard" in parts else 403)
    if "guard" in parts:
        assert guard.context["guard"]["posts"] > 0 and 'data-testid="count-posts"' in guard.text
    assert ('data-testid="count-classes"' in page.text) == ("classes" in parts)
    assert ('data-testid="count-reports"' in page.text) == ("reports" in parts)
    area = NUSA_PENIDA if "nusapenida" in username else "51.05"
    assert situation.stations == Station.objects.filter(election=pemilu, village__code__startswith=area + ".").count()
    for kind in ALL_LAYERS:
        response = client.get(LAYER.format(pemilu.slug, kind))
        assert response.status_code == (200 if kind in layers else 403), kind
        if response.status_code == 200:
            features = response.json()["features"]
            assert len(features) == Station.objects.filter(election=pemilu, village__code__startswith=area + ".", latitude__isnull=False).count()
            villages = set(Station.objects.filter(pk__in=[f["properties"]["id"] for f in features]).values_list("village_id", flat=True))
            assert all(v.startswith(area + ".") for v in villages)
    # The timeline shows only what the agency may read: Form A reports only to Bawaslu's levels.
    sources_seen = {event.source for event in situation.timeline}
    assert ("Laporan PTPS" in sources_seen) == ("reports" in parts)
    assert ("Logistik" in {a.source for a in situation.alerts}) == ("logistics" in parts)


@pytest.mark.django_db
@pytest.mark.parametrize("username", [personas.PTPS_PED, personas.NO_AGENCY])
def test_a_ptps_and_an_account_without_agency_are_refused(client_of, pemilu, username):
    client = client_of(username)
    for url in (
        ROOM.format(pemilu.slug),
        LIVE.format(pemilu.slug),
        LAYER.format(pemilu.slug, "tps"),
        f"/pemilihan/{pemilu.slug}/situasi/pengamanan/",
        "/situasi/",
    ):
        assert client.get(url).status_code == 403, url
    assert reverse("situation:room", args=[pemilu.slug]) not in client.get(f"/pemilihan/{pemilu.slug}/tps/").text


@pytest.mark.django_db
def test_the_short_address_opens_the_chosen_election_and_the_menu_links_it(client_of, pemilu, pilkada):
    client = client_of(personas.KPU)
    assert client.get("/situasi/").url == ROOM.format(pilkada.slug)  # the newest
    assert client.get("/situasi/?pemilihan=pemilu-2024").url == ROOM.format(pemilu.slug)
    assert client.get("/situasi/?pemilihan=pilkada-2024").url == ROOM.format(pilkada.slug)
    assert f'href="{ROOM.format(pemilu.slug)}"' in client.get(f"/pemilihan/{pemilu.slug}/tps/").text
    assert client.get(LAYER.format(pemilu.slug, "peta-harta-karun")).status_code == 404


@pytest.mark.django_db
def test_counts_and_alerts_on_constructed_data(client_of, user_of, pilkada, pilkada_stations):
    mainland = [s for s in pilkada_stations if not s.village_id.startswith(NUSA_PENIDA + ".")]
    first, second, third = mainland[:3]
    np_station = next(s for s in pilkada_stations if s.village_id.startswith(NUSA_PENIDA + "."))
    for station in (first, second, np_station):
        file_report(station, "persiapan", at(pilkada, "07:05"))
    file_report(third, "persiapan", at(pilkada, "09:00"))  # after the moment shown below: not counted
    file_incident(user_of(personas.BAWASLU_STAFF), second, "tinggi", at(pilkada, "07:40"), "Pemilih diusir dari TPS")
    file_incident(user_of(personas.BAWASLU_STAFF), np_station, "rendah", at(pilkada, "07:50"))
    query = "?pada=" + f"{pilkada.voting_date}T08:00"

    total = len(pilkada_stations)
    bawaslu = client_of(personas.BAWASLU).get(LIVE.format(pilkada.slug) + query)
    situation = bawaslu.context["situation"]
    assert situation.reports["stage"] == "persiapan" and situation.reports["is_due"]
    assert (situation.reports["reported"], situation.reports["total"], situation.reports["missing"]) == (3, total, total - 3)
    assert situation.incidents == {"total": 2, "tinggi": 1, "sedang": 0, "rendah": 1}
    assert situation.logistics == {"belum": total}  # no consignment made for the Pilkada
    assert f'data-testid="count-reports">3 / {total}<' in bawaslu.text
    levels = [a.level for a in situation.alerts]
    assert levels == sorted(levels, key=Alert.LEVELS.index)  # danger first
    titles = [a.title for a in situation.alerts]
    assert f"{total - 3} TPS belum mengirim Form A tahap persiapan pemungutan suara (batas 07.30)" in titles
    incident = next(a for a in situation.alerts if "Pemilih diusir" in a.detail)
    assert incident.level == "danger" and incident.source == "Laporan PTPS"
    assert situation.alerts.index(incident) < next(i for i, a in enumerate(situation.alerts) if a.level == "info")
    layer = client_of(personas.BAWASLU).get(LAYER.format(pilkada.slug, "laporan") + query).json()["features"]
    value = {f["properties"]["id"]: f["properties"]["value"] for f in layer}
    assert (value[first.pk], value[second.pk], value[third.pk]) == ("lengkap", "sebagian", "belum")  # reported, incident, too late
    assert sum(1 for v in value.values() if v == "belum") == len(value) - 3
    # Before 07.30 nothing is late yet.
    early = client_of(personas.BAWASLU).get(LIVE.format(pilkada.slug) + f"?pada={pilkada.voting_date}T07:20").context["situation"]
    assert early.reports["missing"] == 0 and not early.reports["is_due"]
    assert not any("belum mengirim Form A" in a.title for a in early.alerts)
    # The Panwascam of Nusa Penida counts its kecamatan only.
    np_total = sum(1 for s in pilkada_stations if s.village_id.startswith(NUSA_PENIDA + "."))
    panwascam = client_of(personas.PANWASCAM_NUSA_PENIDA).get(LIVE.format(pilkada.slug) + query).context["situation"]
    assert (panwascam.reports["reported"], panwascam.reports["total"]) == (1, np_total)
    assert panwascam.incidents["total"] == 1 and panwascam.stations == np_total


@pytest.mark.django_db
def test_police_classes_and_logistics_counts_follow_the_records(client_of, user_of, pemilu):
    polsek = client_of(personas.POLSEK_NUSA_PENIDA)
    before = polsek.get(LIVE.format(pemilu.slug)).context["situation"]
    station = Station.objects.filter(election=pemilu, village__code__startswith=NUSA_PENIDA + ".").exclude(police_class__level="khusus").first()
    StationClass.objects.update_or_create(station=station, defaults={"level": "khusus", "set_at": at(pemilu, "06:00")})
    after = polsek.get(LIVE.format(pemilu.slug)).context["situation"]
    assert after.classes["khusus"] == before.classes["khusus"] + 1 and after.classes.total() == before.classes.total() == 198

    kpu = user_of(personas.KPU)
    create_consignments(actor=kpu, election=pemilu)
    ped = Consignment.objects.get(station__election=pemilu, station__village_id="51.05.01.2010", station__number=17, direction="keluar")
    dispatch(actor=kpu, consignment=ped, seals=["S-1"])
    fields = {"place": "Kantor Desa Ped", "giver_name": "I Made", "receiver_name": "Ni Kadek"}
    record_handover(actor=kpu, consignment=ped, from_party="kpu:51.05", to_party="pps:51.05.01.2010", **fields)
    record_handover(
        actor=kpu,
        consignment=ped,
        from_party="pps:51.05.01.2010",
        to_party=f"kpps:{ped.station_id}",
        reported=[Reported("kurang", "surat-suara-dpr", 3, "")],
        **fields,
    )
    page = client_of(personas.KPU).get(LIVE.format(pemilu.slug))
    logistics = page.context["situation"].logistics
    assert (logistics["lengkap"], logistics["sebagian"], logistics["belum"]) == (0, 1, 648)  # received, with a finding
    finding = [a for a in page.context["situation"].alerts if a.source == "Logistik" and a.level == "warning"]
    assert len(finding) == 1 and "TPS 017 Ped" in finding[0].title and finding[0].url == reverse("logistics:consignment", args=[pemilu.slug, ped.pk])
    assert any("Serah terima ke-2: TPS 017 Ped" in e.text for e in page.context["situation"].timeline)


@pytest.mark.django_db
def test_the_live_fragment_shows_a_new_report(client_of, pilkada, pilkada_stations):
    client = client_of(personas.BAWASLU)
    url = LIVE.format(pilkada.slug) + f"?pada={pilkada.voting_date}T12:00"
    before = client.get(url, headers={"HX-Request": "true"})
    assert before.text.lstrip().startswith('<div id="situation-live"') and "<html" not in before.text
    assert 'hx-trigger="every 30s"' in before.text
    assert before.context["situation"].reports["reported"] == 0
    file_report(pilkada_stations[5], "persiapan", at(pilkada, "07:10"))
    after = client.get(url, headers={"HX-Request": "true"})
    assert after.context["situation"].reports["reported"] == 1
    assert f'data-testid="count-reports">1 / {len(pilkada_stations)}<' in after.text
    assert str(pilkada_stations[5]) in after.context["situation"].timeline[0].text
    assert "WITA" in after.text and "12:00" in after.text  # the election's local time


def exploding_source(user, election, now):
    raise RuntimeError("sumber rusak")


@pytest.mark.django_db
def test_a_failing_source_leaves_the_page_up(client_of, pilkada, pilkada_stations, monkeypatch, caplog):
    file_report(pilkada_stations[0], "persiapan", at(pilkada, "07:00"))
    monkeypatch.setattr(sources, "ALERT_SOURCES", ["tests.situation.test_room.exploding_source", *sources.ALERT_SOURCES])
    monkeypatch.setattr(sources, "COUNT_SOURCES", ["tests.situation.test_room.exploding_source", "sinergi.situation.sources.no_such_source"])
    page = client_of(personas.BAWASLU).get(ROOM.format(pilkada.slug) + f"?pada={pilkada.voting_date}T08:00")
    assert page.status_code == 200
    situation = page.context["situation"]
    assert len(situation.failed_sources) == 3 and 'data-testid="situation-failed"' in page.text
    assert any("belum mengirim Form A" in a.title for a in situation.alerts)  # the other sources still answer
    assert situation.reports["reported"] == 1
    assert "tests.situation.test_room.exploding_source" in caplog.text


@pytest.mark.django_db
def test_the_live_fragment_stays_within_its_query_budget(client_of, pemilu, django_assert_max_num_queries):
    client = client_of(personas.BAWASLU)
    client.get(LIVE.format(pemilu.slug))  # session and caches warm
    with django_assert_max_num_queries(30):
        assert client.get(LIVE.format(pemilu.slug)).status_code == 200


def test_every_agency_but_the_field_may_open_the_room():
    from sinergi.accounts.permissions import GRANTS

    for (kind, role), perms in GRANTS.items():
        assert (Perm.VIEW_SITUATION in perms) == (role != "field"), (kind, role)


@pytest.mark.django_db
@pytest.mark.parametrize("username", [personas.POLRES, personas.POLSEK_NUSA_PENIDA])
def test_the_guard_numbers_are_the_guard_plan(client_of, user_of, pemilu, username):
    guard = plan_for(user_of(username), pemilu)
    shown = client_of(username).get(f"/pemilihan/{pemilu.slug}/situasi/pengamanan/").context["guard"]
    assert shown["posts"] == len(guard.plan.posts) and shown["police"] == guard.plan.police and shown["linmas"] == guard.plan.linmas
    assert shown["shortage"] == sum(d.shortage for d in guard.plan.kecamatans) and shown["without_formation"] == len(guard.without_formation)
    plan, classes, _without = posts_for(user_of(username), pemilu)
    assert [(p.number, p.level, p.station_ids) for p in plan.posts] == [(p.number, p.level, p.station_ids) for p in guard.plan.posts]
    assert classes == guard.classes

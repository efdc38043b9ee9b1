"""The province and national roll-ups (situation/rollup.py) and the drill-down (?wilayah=): each
province viewer sees every district of its province and nothing of another; the drill-down only
narrows; the numbers, counted by hand on tests/situation/province.py; the queries constant in the
number of districts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.models import User
from sinergi.guard.models import GuardPost
from sinergi.risk.models import ChecklistAnswer
from sinergi.situation.rollup import rollup_for
from sinergi.stations.models import Station
from sinergi.supervisors.models import Incident, Report
from tests import personas
from tests.situation import province
from tests.situation.province import BAWASLU_BALI, BAWASLU_NTB, BAWASLU_RI, KPU_BALI, POLDA_BALI, POLRI, REKAAN

ROOM = "/pemilihan/pemilu-2024/situasi/"


def codes_of(rollup) -> list[str]:
    return [row.code for row in rollup.rows]


def row(rollup, code):
    return next(r for r in rollup.rows if r.code == code)


@pytest.mark.django_db
def test_each_province_body_sees_every_district_of_its_province_and_no_other(bali, pemilu, user_of):
    now = province.moment(pemilu)
    for username in (BAWASLU_BALI, POLDA_BALI, KPU_BALI):
        assert codes_of(rollup_for(user_of(username), pemilu, now)) == ["51.05", REKAAN], username
    ntb = rollup_for(user_of(BAWASLU_NTB), pemilu, now)
    assert codes_of(ntb) == ["52.01"]
    assert ntb.total.stations == 1 and ntb.total.reported == 1 and ntb.total.cases_open == 1
    # A national body and the operator: per province, all of them.
    for viewer in (user_of(BAWASLU_RI), user_of(POLRI), User.objects.create_superuser("operator-rollup", password="x")):
        national = rollup_for(viewer, pemilu, now)
        assert codes_of(national) == ["51", "52"]
        assert national.total.stations == Station.objects.filter(election=pemilu).count()
    # A district viewer's roll-up is its kecamatan.
    assert codes_of(rollup_for(user_of(personas.BAWASLU), pemilu, now)) == ["51.05.01", "51.05.02", "51.05.03", "51.05.04"]
    assert rollup_for(user_of(personas.POLSEK_NUSA_PENIDA), pemilu, now) is None


@pytest.mark.django_db
def test_the_roll_up_of_the_invented_district_matches_the_hand_count(bali, pemilu, user_of):
    rollup = rollup_for(user_of(BAWASLU_BALI), pemilu, province.moment(pemilu))
    rekaan = row(rollup, REKAAN)
    assert (rekaan.stations, rekaan.voters, rekaan.reported, rekaan.late, rekaan.incidents, rekaan.serious) == (5, 800, 3, 2, 2, 1)
    assert rollup.stage == "pemungutan" and rollup.stage_is_due
    assert (rekaan.posts, rekaan.police, rekaan.linmas, rekaan.personnel, rekaan.shortage) == (3, 6, 10, 8, 1)
    assert rekaan.polres == "Polres Rekaan Barat"
    assert dict(rekaan.logistics) == {"lengkap": 1, "sebagian": 2, "belum": 2} and rekaan.discrepancies == 1
    assert (rekaan.cases_open, rekaan.cases_overdue, rekaan.cases_due_soon) == (1, 1, 0)
    # Klungkung's row against the demo's rows counted another way, and the province total.
    klungkung = row(rollup, "51.05")
    in_klungkung = Station.objects.filter(election=pemilu, village__code__startswith="51.05.")
    assert klungkung.stations == in_klungkung.count() == 649
    assert klungkung.vulnerable == ChecklistAnswer.objects.filter(station__in=in_klungkung, present=True).values("station").distinct().count()
    assert klungkung.reported == Report.objects.filter(station__in=in_klungkung, stage="pemungutan", observed_at__lte=province.moment(pemilu)).values("station").distinct().count()
    assert klungkung.incidents == Incident.objects.filter(station__in=in_klungkung, occurred_at__lte=province.moment(pemilu)).count()
    assert klungkung.posts == GuardPost.objects.filter(election=pemilu, polsek__region__code__startswith="51.05.", retired_at__isnull=True).count()
    assert rollup.total.stations == 654 and rollup.total.shortage == klungkung.shortage + 1
    assert sum(rollup.total.logistics.values()) == 654


@pytest.mark.django_db
def test_each_body_sees_only_the_sections_of_its_permissions(bali, pemilu, user_of):
    now = province.moment(pemilu)
    kpu = rollup_for(user_of(KPU_BALI), pemilu, now)
    assert (kpu.logistics, kpu.guard, kpu.reports, kpu.cases) == (True, False, False, False)
    polda = rollup_for(user_of(POLDA_BALI), pemilu, now)
    assert (polda.logistics, polda.guard, polda.reports, polda.cases) == (True, True, True, False)
    bawaslu = rollup_for(user_of(BAWASLU_BALI), pemilu, now)
    assert (bawaslu.logistics, bawaslu.guard, bawaslu.reports, bawaslu.cases) == (True, True, True, True)
    page = province_page(user_of, KPU_BALI)
    assert 'data-testid="rollup-logistics"' in page and 'data-testid="rollup-guard"' not in page and 'data-testid="rollup-cases"' not in page


def province_page(user_of, username, query=""):
    from django.test import Client

    client = Client()
    client.force_login(user_of(username))
    response = client.get(ROOM + query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.django_db
def test_the_province_room_is_the_roll_up_linking_each_district(bali, client_of):
    page = client_of(BAWASLU_BALI).get(ROOM).content.decode()
    assert 'data-testid="situation-rollup"' in page and 'id="situation-map"' not in page
    assert set(re.findall(r'data-testid="drill-([\d.]+)"', page)) == {"51.05", REKAAN}
    assert "52.01" not in page and "Rekaan Timur" not in page


@pytest.mark.django_db
def test_the_drill_down_narrows_to_a_district_and_a_kecamatan(bali, client_of):
    client = client_of(BAWASLU_BALI)
    district = client.get(ROOM, {"wilayah": REKAAN})
    assert district.status_code == 200 and 'id="situation-map"' in district.content.decode()
    assert district.context["situation"].stations == 5
    assert [c.code for c in district.context["crumbs"]] == [""]
    card = client.get(ROOM + "rekap/", {"wilayah": REKAAN}).content.decode()
    assert set(re.findall(r'data-testid="drill-([\d.]+)"', card)) == {province.PANTAI, province.BUKIT}
    kecamatan = client.get(ROOM, {"wilayah": province.PANTAI})
    assert kecamatan.status_code == 200 and kecamatan.context["situation"].stations == 3
    assert [c.code for c in kecamatan.context["crumbs"]] == ["", REKAAN]
    live = client.get(ROOM + "terkini/", {"wilayah": province.BUKIT})
    assert live.context["situation"].stations == 2 and live.context["situation"].reports["reported"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["", "terkini/", "rekap/", "pengamanan/", "batas-waktu/", "peringatan/", "lapisan/tps.geojson"])
def test_the_drill_down_never_widens(bali, client_of, endpoint):
    bali_client, klungkung = client_of(BAWASLU_BALI), client_of(personas.BAWASLU)
    for code in ("52.01", "52", "52.01.01", "51.99", "51.05.01.2010", "bukan-kode"):
        assert bali_client.get(ROOM + endpoint, {"wilayah": code}).status_code == 404, code
    for code in ("51", REKAAN, "52.01"):  # above a district viewer, beside it, another province
        assert klungkung.get(ROOM + endpoint, {"wilayah": code}).status_code == 404, code
    assert klungkung.get(ROOM + endpoint, {"wilayah": "51.05.01"}).status_code == 200
    assert client_of(BAWASLU_RI).get(ROOM + endpoint, {"wilayah": "52.01"}).status_code == 200


@pytest.mark.django_db
def test_the_narrowed_viewer_is_never_saved(bali, user_of):
    narrowed = user_of(BAWASLU_BALI).narrowed_to(province.Region.objects.get(code=REKAAN))
    assert narrowed.area_code == REKAAN and user_of(BAWASLU_BALI).area_code == "51"
    with pytest.raises(RuntimeError):
        narrowed.save()


@pytest.mark.django_db
def test_the_roll_up_page_costs_the_same_queries_for_more_districts(bali, pemilu, client_of):
    client = client_of(BAWASLU_BALI)

    def queries() -> int:
        return province.queries_of(client, ROOM)

    before = queries()
    for n, code in enumerate(("51.10", "51.11", "51.12")):
        added = province.add_district(pemilu, code, f"Rekaan {n}", [2, 1, 1])
        first = next(iter(added.values()))[0]
        province.submit_report(actor=None, station=first, stage="pemungutan", client_id=province.uuid.uuid4(), answers=province.ANSWERS, narrative="", observed_at=province.moment(pemilu).replace(hour=12))
    assert queries() == before
    assert len(client.get(ROOM).context["rollup"].rows) == 5


@pytest.mark.django_db
def test_the_map_s_village_boundaries_narrow_with_the_drill_down_and_never_widen(bali, client_of):
    klungkung = client_of(personas.BAWASLU)
    everything = klungkung.get("/wilayah/batas-desa.geojson").json()["features"]
    nusa_penida = klungkung.get("/wilayah/batas-desa.geojson", {"wilayah": "51.05.01"}).json()["features"]
    assert 0 < len(nusa_penida) < len(everything)
    assert all(f["properties"]["code"].startswith("51.05.01.") for f in nusa_penida)
    for code in ("51", REKAAN, "52.01", "bukan"):
        assert klungkung.get("/wilayah/batas-desa.geojson", {"wilayah": code}).status_code == 404
    room = klungkung.get(ROOM, {"wilayah": "51.05.01"}).content.decode()
    assert 'data-boundaries-url="/wilayah/batas-desa.geojson?wilayah=51.05.01"' in room


@pytest.mark.django_db
def test_the_rows_keep_the_moment_shown(bali, client_of):
    page = client_of(BAWASLU_BALI).get(ROOM, {"pada": "2024-02-14T10:00"}).content.decode()
    links = re.findall(r'href="(/pemilihan/pemilu-2024/situasi/\?wilayah=[^"]+)"', page)
    assert links and all(link.endswith("&amp;pada=2024-02-14T10%3A00") for link in links)


@pytest.mark.django_db
def test_the_live_fragment_of_a_wide_room_is_the_roll_up(bali, pemilu, client_of):
    """A province's room is the roll-up: its 30-second fragment is the roll-up card (its districts'
    rows and the total), never the district room's counts over every TPS of the province."""
    client = client_of(BAWASLU_BALI)
    live = client.get(ROOM + "terkini/")
    assert [t.name for t in live.templates][0] == "situation/rollup_card.html" and "situation" not in live.context
    rollup = live.context["rollup"]
    assert codes_of(rollup) == ["51.05", REKAAN]
    assert (row(rollup, REKAAN).stations, row(rollup, REKAAN).reported) == (5, 3)
    assert rollup.total.stations == row(rollup, "51.05").stations + 5
    assert set(re.findall(r'data-testid="drill-([\d.]+)"', live.content.decode())) == {"51.05", REKAAN}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ROOM + "terkini/").status_code == 200
        return len(captured)

    before = queries()
    province.add_district(pemilu, "51.10", "Rekaan Lain", [2, 1])
    assert queries() == before
    # A district's fragment is the district room's, as before.
    assert client_of(personas.BAWASLU).get(ROOM + "terkini/").templates[0].name == "situation/live.html"

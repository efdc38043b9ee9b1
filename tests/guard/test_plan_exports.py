"""The guard plan written district by district gives the rows of the plan made at once
(`plan_for`): TPS, posts with their numbers, totals per Polsek and the gaps."""

import csv
import io
from contextlib import redirect_stdout

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from sinergi.accounts.models import Agency
from sinergi.elections.commands import DEPLOYMENT
from sinergi.guard.exports import LEVEL_NAMES, TPS_COLUMNS, tps_rows
from sinergi.guard.plan_rows import StreamedPlan, plan_gaps
from sinergi.guard.queries import plan_for, plan_inputs
from sinergi.guard.services import set_formation
from sinergi.regions.models import Region
from sinergi.stations.models import Station
from tests import personas


@pytest.fixture
def denpasar(pemilu):
    """A second kabupaten/kota with a Polres, its formation, a Polsek and 9 TPS of several classes."""
    Region.objects.create(code="51.71", name="Denpasar", kind=Region.Kind.KOTA, parent_id="51", level=2)
    Region.objects.create(code="51.71.01", name="Denpasar Selatan", kind=Region.Kind.KECAMATAN, parent_id="51.71", level=3)
    Region.objects.create(code="51.71.01.1001", name="Sesetan", kind=Region.Kind.KELURAHAN, parent_id="51.71.01", level=4)
    polresta = Agency.objects.create(slug="polresta-denpasar", name="Polresta Denpasar", kind=Agency.Kind.POLRES, region_id="51.71")
    Agency.objects.create(slug="polsek-densel", name="Polsek Denpasar Selatan", kind=Agency.Kind.POLSEK, region_id="51.71.01")
    rules = {"kurang_rawan": (2, 4, 12), "rawan": (2, 2, 4), "sangat_rawan": (2, 1, 2), "khusus": (2, 1, 2)}
    set_formation(actor=None, election=pemilu, polres=polresta, name="Formasi Denpasar", source="uji", rules=rules)
    for number in range(1, 10):
        Station.objects.create(election=pemilu, village_id="51.71.01.1001", number=number, voters=200, latitude=-8.7 - number / 1000, longitude=115.2, is_special_location=number == 3)


def known_tps_rows(guard) -> list[list[str]]:
    """The CSV rows of a plan made at once, as the exports wrote them before streaming."""
    post_of = guard.post_of()
    rows = []
    for s in sorted(guard.stations.values(), key=lambda s: (s.village_id, s.number)):
        post = post_of.get(s.pk)
        level, source = guard.classes[s.pk]
        posted = [post.number, len(post.station_ids), post.police, post.linmas] if post else ["", "", "", ""]
        rows.append([str(v) for v in [s.village.parent_id, s.village.parent.name, s.village_id, s.village.name, s.number, level, source, *posted]])
    return rows


def known_sheets(guard) -> dict[str, list[tuple]]:
    posts = [
        (p.number, guard.kecamatan_names.get(p.kecamatan_code, p.kecamatan_code), LEVEL_NAMES[p.level], len(p.station_ids), ", ".join(str(guard.stations[sid]) for sid in p.station_ids), p.police, p.linmas)
        for p in guard.plan.posts
    ]
    totals = [(guard.kecamatan_names.get(t.kecamatan_code), t.posts, t.stations, t.police, t.linmas, t.available_police, t.shortage) for t in guard.plan.kecamatans]
    return {"Pos": posts, "Rekap Polsek": totals}


def command_csv(*extra: str) -> list[list[str]]:
    out = io.StringIO()
    with redirect_stdout(out):
        call_command("guard_plan", "--election", "pemilu-2024", *extra, stderr=io.StringIO())
    return list(csv.reader(io.StringIO(out.getvalue())))


@pytest.mark.django_db
def test_the_national_command_streams_the_plan_made_at_once(pemilu, denpasar, tmp_path):
    guard = plan_for(DEPLOYMENT, pemilu)
    assert not guard.gaps and len(guard.stations) == 658 and {p.kecamatan_code[:5] for p in guard.plan.posts} == {"51.05", "51.71"}
    rows = command_csv()
    assert rows[0] == TPS_COLUMNS and rows[1:] == known_tps_rows(guard)
    assert rows[-1][2] == "51.71.01.1001" and int(rows[-1][7]) > int(rows[1][7])  # numbers continue into the second district
    assert command_csv("--district", "51.71")[1:] == known_tps_rows(plan_for(DEPLOYMENT, pemilu, "51.71"))
    book = tmp_path / "plan.xlsx"
    call_command("guard_plan", "--election", "pemilu-2024", "--format", "xlsx", "--output", str(book), stderr=io.StringIO())
    sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in load_workbook(book).worksheets}
    assert [list(map(lambda v: "" if v is None else str(v), r)) for r in sheets["TPS"][1:]] == known_tps_rows(guard)
    for title, rows in known_sheets(guard).items():
        assert sheets[title][1:] == rows, title
    text = tmp_path / "plan.csv"
    call_command("guard_plan", "--election", "pemilu-2024", "--output", str(text), stderr=io.StringIO())
    assert list(csv.reader(io.StringIO(text.read_text(encoding="utf-8"))))[1:] == known_tps_rows(guard)


@pytest.mark.django_db
def test_the_totals_are_merged_over_districts(pemilu, denpasar):
    guard = plan_for(DEPLOYMENT, pemilu)
    streamed = StreamedPlan(DEPLOYMENT, pemilu)
    assert sum(len(d.plan.posts) for d in streamed.districts()) == len(guard.plan.posts)
    assert streamed.kecamatan_totals() == guard.plan.kecamatans
    assert {code: streamed.names[code] for code in streamed.totals} == {t.kecamatan_code: guard.kecamatan_names[t.kecamatan_code] for t in guard.plan.kecamatans}


@pytest.mark.django_db
def test_the_gaps_are_counted_as_the_plan_finds_them(pemilu, denpasar):
    Region.objects.create(code="51.72", name="Kota Tanpa Polres", kind=Region.Kind.KOTA, parent_id="51", level=2)
    Region.objects.create(code="51.72.01", name="Kecamatan A", kind=Region.Kind.KECAMATAN, parent_id="51.72", level=3)
    Region.objects.create(code="51.72.01.1001", name="Kelurahan A", kind=Region.Kind.KELURAHAN, parent_id="51.72.01", level=4)
    Region.objects.create(code="51.71.02", name="Denpasar Timur", kind=Region.Kind.KECAMATAN, parent_id="51.71", level=3)
    Region.objects.create(code="51.71.02.1001", name="Sumerta", kind=Region.Kind.KELURAHAN, parent_id="51.71.02", level=4)
    Station.objects.create(election=pemilu, village_id="51.72.01.1001", number=1, voters=100)
    for number in (1, 2):
        Station.objects.create(election=pemilu, village_id="51.71.02.1001", number=number, voters=100)
    expected = plan_for(DEPLOYMENT, pemilu).gaps
    assert [(g.kecamatan_code, g.reason, g.stations) for g in expected] == [("51.71.02", "polsek", 2), ("51.72.01", "formasi", 1)]
    assert plan_gaps(DEPLOYMENT, pemilu, "", plan_inputs(pemilu)) == expected
    with pytest.raises(CommandError, match="2 masalah"):
        command_csv()


@pytest.mark.django_db
def test_the_downloads_stream_the_district_plan(client_of, user_of, pemilu, denpasar):
    guard = plan_for(user_of(personas.POLRES), pemilu)
    client = client_of(personas.POLRES)
    response = client.get("/pemilihan/pemilu-2024/pengamanan/rencana.csv")
    assert isinstance(response, StreamingHttpResponse) and response["Content-Disposition"] == 'attachment; filename="rencana-pengamanan-pemilu-2024.csv"'
    assert list(csv.reader(io.StringIO(response.getvalue().decode())))[1:] == known_tps_rows(guard)
    book = client.get("/pemilihan/pemilu-2024/pengamanan/rencana.xlsx")
    assert isinstance(book, StreamingHttpResponse)
    sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in load_workbook(io.BytesIO(book.getvalue())).worksheets}
    assert sheets["Pos"][1:] == known_sheets(guard)["Pos"] and len(sheets["TPS"]) == 650
    polsek = plan_for(user_of(personas.POLSEK_NUSA_PENIDA), pemilu)
    rows = client_of(personas.POLSEK_NUSA_PENIDA).get("/pemilihan/pemilu-2024/pengamanan/rencana.csv").getvalue().decode()
    assert list(csv.reader(io.StringIO(rows)))[1:] == known_tps_rows(polsek)


@pytest.mark.django_db
def test_a_province_streams_the_plan_made_at_once(pemilu, denpasar, user_of):
    for user, area in ((user_of("polda-bali"), ""), (DEPLOYMENT, "51")):
        guard = plan_for(user, pemilu, area)
        districts = list(StreamedPlan(user, pemilu, area).districts())
        assert [d.area for d in districts] == ["51.05", "51.71"]  # each district's TPS and classes read in one pass
        assert [[str(v) for v in row] for d in districts for row in tps_rows(d)] == known_tps_rows(guard)
        assert [p for d in districts for p in d.plan.posts] == guard.plan.posts

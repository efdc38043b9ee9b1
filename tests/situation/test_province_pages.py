"""A province viewer's vulnerability release, logistics requirements and guard plan: one section per
district and the province total, on tests/situation/province.py (Klungkung and the invented Rekaan
Barat); a district viewer's pages are as before."""

import pytest

from sinergi.logistics.requirement_queries import requirements_for
from sinergi.risk.models import ChecklistAnswer, Indicator, StationClass
from sinergi.risk.queries import release_for
from sinergi.stations.models import Station
from tests import personas
from tests.situation import province
from tests.situation.province import BAWASLU_BALI, KPU_BALI, POLDA_BALI, REKAAN


def _vulnerability(pemilu, stations) -> dict[str, tuple[str, str]]:
    """Checklist answers and police classes in Rekaan Barat and NTB, counted by hand:

    | TPS         | indicators (variable)        | class        |
    |-------------|------------------------------|--------------|
    | Pantai 1    | `a` (first), `b` (second)    | rawan        |
    | Pantai 2    | `a`                          | —            |
    | Bukit 1     | `a`                          | —            |
    | Bukit 2     | —                            | sangat_rawan |
    | NTB 1       | `a`, `b`                     | rawan        |

    Rekaan Barat: 5 TPS, `a` at 3, `b` at 1; 3 vulnerable, 1 with several variables; classes
    rawan 1, sangat_rawan 1, 3 not set. Returns the indicators' codes and their variables."""
    indicators = list(Indicator.objects.filter(election=pemilu).select_related("variable").order_by("variable__number", "code"))
    first = indicators[0]
    second = next(i for i in indicators if i.variable.number != first.variable.number)
    pantai, bukit = stations[province.PANTAI], stations[province.BUKIT]
    ntb = list(Station.objects.filter(election=pemilu, village__code__startswith="52.01."))
    for tps, present in ((pantai[0], (first, second)), (pantai[1], (first,)), (bukit[0], (first,)), (ntb[0], (first, second))):
        for indicator in present:
            ChecklistAnswer.objects.create(station=tps, indicator=indicator, present=True, filled_at=province.moment(pemilu))
    for tps, level in ((pantai[0], "rawan"), (bukit[1], "sangat_rawan"), (ntb[0], "rawan")):
        StationClass.objects.create(station=tps, level=level, suggested_level=level, set_at=province.moment(pemilu))
    return {"a": (first.code, first.variable.number), "b": (second.code, second.variable.number)}


@pytest.mark.django_db
def test_the_release_of_a_province_has_a_row_and_a_column_per_district(bali, pemilu, client_of, user_of):
    marked = _vulnerability(pemilu, bali)
    (a, variable_a), (b, variable_b) = marked["a"], marked["b"]
    response = client_of(BAWASLU_BALI).get("/pemilihan/pemilu-2024/rawan/")
    assert response.templates[0].name == "risk/release_regions.html"
    rollup = response.context["rollup"]
    rows = {row.code: row for row in rollup.rows}
    assert list(rows) == ["51.05", REKAAN]  # every district of Bali, none of NTB
    rekaan = rows[REKAAN]
    assert (rekaan.stations, rekaan.vulnerable, rekaan.several) == (5, 3, 1)
    klungkung = release_for(user_of(BAWASLU_BALI), pemilu, "51.05")
    assert rows["51.05"].stations == klungkung.stations
    assert rows["51.05"].several == len(klungkung.several_variables)
    counts = {entry.code: entry for entry in rollup.result.indicators}
    alone = {entry.code: entry.total for entry in klungkung.indicators}
    assert counts[a].by_region[REKAAN] == 3 and counts[b].by_region[REKAAN] == 1
    for code, entry in counts.items():
        assert entry.by_region.get("51.05", 0) == alone[code]
        assert entry.total == alone[code] + {a: 3, b: 1}.get(code, 0)
    assert rollup.total.stations == klungkung.stations + 5 and rollup.total.several == rows["51.05"].several + 1
    assert rollup.result.by_variable[variable_a] == klungkung.by_variable[variable_a] + 3
    assert rollup.result.by_variable[variable_b] == klungkung.by_variable[variable_b] + 1
    page = response.content.decode()
    assert 'data-testid="drill-51.09"' in page and "Rekaan Timur" not in page
    # Another province's Bawaslu sees its own district only; a district's page is the release.
    ntb = client_of(province.BAWASLU_NTB).get("/pemilihan/pemilu-2024/rawan/").context["rollup"]
    assert [(row.code, row.stations, row.vulnerable, row.several) for row in ntb.rows] == [("52.01", 1, 1, 1)]
    assert {e.code: e.total for e in ntb.result.indicators if e.total} == {a: 1, b: 1}
    assert client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/rawan/").templates[0].name == "risk/release.html"
    # Opening a district from the province: the district's release.
    opened = client_of(BAWASLU_BALI).get("/pemilihan/pemilu-2024/rawan/", {"wilayah": REKAAN})
    assert opened.templates[0].name == "risk/release.html" and opened.context["result"].stations == 5
    assert client_of(BAWASLU_BALI).get("/pemilihan/pemilu-2024/rawan/", {"wilayah": "52.01"}).status_code == 404


@pytest.mark.django_db
def test_the_nation_s_release_has_a_row_per_province(bali, pemilu, client_of):
    _vulnerability(pemilu, bali)
    rollup = client_of(province.BAWASLU_RI).get("/pemilihan/pemilu-2024/rawan/").context["rollup"]
    rows = {row.code: row for row in rollup.rows}
    assert rows["52"].stations == 1 and rows["52"].several == 1
    assert rows["51"].stations == Station.objects.filter(election=pemilu, village__code__startswith="51.").count()


@pytest.mark.django_db
def test_the_classes_of_a_province_have_a_row_per_district(bali, pemilu, client_of):
    _vulnerability(pemilu, bali)
    response = client_of(POLDA_BALI).get("/pemilihan/pemilu-2024/rawan/kelas/")
    assert response.templates[0].name == "risk/classes_regions.html"
    rollup = response.context["rollup"]
    table = {row.code: (row, counts) for row, counts in rollup.table()}
    assert list(table) == ["51.05", REKAAN]
    levels = [value for value, _label in rollup.levels]
    rekaan, counts = table[REKAAN]
    assert dict(zip(levels, counts, strict=True)) == {"kurang_rawan": 0, "rawan": 1, "sangat_rawan": 1, "khusus": 0}
    assert (rekaan.stations, rekaan.unconfirmed) == (5, 3)
    klungkung = StationClass.objects.filter(station__election=pemilu, station__village__code__startswith="51.05.")
    assert table["51.05"][1] == [klungkung.filter(level=level).count() for level in levels]
    assert table["51.05"][0].unconfirmed == table["51.05"][0].stations - klungkung.count()
    assert rollup.total_counts() == [a + b for a, b in zip(table["51.05"][1], counts, strict=True)]
    assert "Rekaan Timur" not in response.content.decode()
    # The nation: a row per province; a district opened from the province lists its TPS.
    national = {row.code: counts for row, counts in client_of(province.POLRI).get("/pemilihan/pemilu-2024/rawan/kelas/").context["rollup"].table()}
    assert national["52"] == [0, 1, 0, 0]
    opened = client_of(POLDA_BALI).get("/pemilihan/pemilu-2024/rawan/kelas/", {"wilayah": REKAAN})
    assert opened.templates[0].name == "risk/classes.html" and opened.context["unconfirmed"] == 3
    assert not opened.context["may_set"]  # confirming would set the whole province's TPS
    assert client_of(POLDA_BALI).get("/pemilihan/pemilu-2024/rawan/kelas/", {"wilayah": "52.01"}).status_code == 404
    assert client_of(personas.POLRES).get("/pemilihan/pemilu-2024/rawan/kelas/").templates[0].name == "risk/classes.html"


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "url"), [(BAWASLU_BALI, "/pemilihan/pemilu-2024/rawan/"), (POLDA_BALI, "/pemilihan/pemilu-2024/rawan/kelas/")])
def test_the_province_pages_cost_the_same_queries_for_more_districts(bali, pemilu, client_of, username, url):
    _vulnerability(pemilu, bali)
    client = client_of(username)

    def queries() -> int:
        return province.queries_of(client, url)

    before = queries()
    indicator = Indicator.objects.filter(election=pemilu).first()
    for n, code in enumerate(("51.10", "51.11", "51.12")):
        added = province.add_district(pemilu, code, f"Rekaan {n}", [2, 1, 1])
        first = next(iter(added.values()))[0]
        ChecklistAnswer.objects.create(station=first, indicator=indicator, present=True, filled_at=province.moment(pemilu))
        StationClass.objects.create(station=first, level="rawan", suggested_level="rawan", set_at=province.moment(pemilu))
    assert queries() == before
    assert len(client.get(url).context["rollup"].rows) == 5


@pytest.mark.django_db
def test_the_requirements_have_a_row_per_district_with_its_own_reserves(bali, pemilu, client_of, user_of):
    response = client_of(KPU_BALI).get("/pemilihan/pemilu-2024/logistik/")
    assert response.templates[0].name == "logistics/requirements_regions.html"
    wide = response.context["wide"]
    rows = {d.code: (d, counts) for d, counts in wide.counts()}
    assert list(rows) == ["51.05", REKAAN]  # Bali's districts, not NTB's
    rekaan, rekaan_counts = rows[REKAAN]
    assert (rekaan.stations, rekaan.voters) == (5, 800)
    result = wide.result
    alone = requirements_for(user_of(KPU_BALI), pemilu, REKAAN)
    assert rekaan_counts == [alone.grand_total(item.code) for item in result.items]  # no reserve in Rekaan Barat
    klungkung = requirements_for(user_of(personas.KPU), pemilu)
    assert rows["51.05"][1] == [klungkung.grand_total(item.code) for item in result.items]  # with Klungkung's reserves
    assert [sum(column) for column in zip(*(counts for _d, counts in rows.values()), strict=True)] == [result.grand_total(i.code) for i in result.items]
    assert "Rekaan Timur" not in response.content.decode()
    # A district's page is as before; a district opened from the province is that district's page.
    assert client_of(personas.KPU).get("/pemilihan/pemilu-2024/logistik/").templates[0].name == "logistics/requirements.html"
    opened = client_of(KPU_BALI).get("/pemilihan/pemilu-2024/logistik/", {"wilayah": REKAAN})
    assert opened.templates[0].name == "logistics/requirements.html" and opened.context["result"].total.stations == 5
    assert opened.context["form"] is None
    assert client_of(KPU_BALI).get("/pemilihan/pemilu-2024/logistik/", {"wilayah": "52.01"}).status_code == 404
    # Another province's body and the nation.
    ntb = client_of(province.BAWASLU_NTB).get("/pemilihan/pemilu-2024/logistik/").context["wide"]
    assert [(d.code, d.stations, d.voters) for d in ntb.rows] == [("52.01", 1, 200)]
    national = {d.code: d for d in client_of(province.POLRI).get("/pemilihan/pemilu-2024/logistik/").context["wide"].rows}
    assert national["52"].stations == 1 and national["51"].stations == klungkung.total.stations + 5


@pytest.mark.django_db
def test_the_requirements_of_a_province_cost_the_same_queries_for_more_districts(bali, pemilu, client_of):
    client = client_of(KPU_BALI)
    url = "/pemilihan/pemilu-2024/logistik/"

    def queries() -> int:
        return province.queries_of(client, url)

    before = queries()
    for n, code in enumerate(("51.10", "51.11", "51.12")):
        province.add_district(pemilu, code, f"Rekaan {n}", [2, 1, 1])
    assert queries() == before
    assert len(client.get(url).context["wide"].rows) == 5


@pytest.mark.django_db
def test_the_guard_plan_of_a_province_lists_each_polres_with_the_total(bali, client_of):
    response = client_of(POLDA_BALI).get("/pemilihan/pemilu-2024/pengamanan/")
    assert response.templates[0].name == "guard/choose_district.html"
    rows = {region.code: totals for region, totals in response.context["rows"]}
    assert list(rows) == ["51.05", REKAAN]
    assert (rows[REKAAN].posts, rows[REKAAN].police, rows[REKAAN].linmas, rows[REKAAN].personnel, rows[REKAAN].shortage) == (3, 6, 10, 8, 1)
    assert rows[REKAAN].polres == "Polres Rekaan Barat"
    total = response.context["total"]
    assert total.posts == rows["51.05"].posts + 3 and total.shortage == rows["51.05"].shortage + 1
    chosen = client_of(POLDA_BALI).get("/pemilihan/pemilu-2024/pengamanan/", {"kabupaten": REKAAN})
    assert chosen.status_code == 200 and chosen.templates[0].name == "guard/plan.html"


@pytest.mark.django_db
def test_the_release_counts_the_same_without_the_indicator_mask(bali, pemilu, user_of, monkeypatch):
    """More indicators than one BIGINT carries are counted by a GROUP BY instead: the same numbers."""
    from sinergi.risk import rollup

    _vulnerability(pemilu, bali)
    masked = rollup.release_by_region(user_of(BAWASLU_BALI), pemilu)
    monkeypatch.setattr(rollup, "MASK_BITS", 0)
    grouped = rollup.release_by_region(user_of(BAWASLU_BALI), pemilu)
    assert [(e.code, e.total, e.by_region) for e in masked.result.indicators] == [(e.code, e.total, e.by_region) for e in grouped.result.indicators]
    assert any(e.by_region.get(REKAAN) for e in grouped.result.indicators)
    assert [(r.code, r.vulnerable, r.several) for r in masked.rows] == [(r.code, r.vulnerable, r.several) for r in grouped.rows]


@pytest.mark.django_db
def test_a_wide_viewer_gets_no_district_room_fragment_over_its_whole_area(bali, client_of):
    """The province's room is the roll-up: the district room's fragments (alerts, a map layer, the
    guard cards, the deadlines) over every TPS of the province are refused; opened on a district
    (?wilayah=) they are served as to that district's own viewers."""
    room = "/pemilihan/pemilu-2024/situasi/"
    client = client_of(BAWASLU_BALI)
    for fragment in ("peringatan/", "lapisan/laporan.geojson", "pengamanan/", "batas-waktu/"):
        assert client.get(room + fragment).status_code == 404, fragment
        assert client.get(room + fragment + "?wilayah=51.05").status_code == 200, fragment
    assert client_of(personas.BAWASLU).get(room + "peringatan/").status_code == 200

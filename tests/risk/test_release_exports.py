"""The release counted by the database equals the release counted TPS by TPS; its exports are
streamed with the same content."""

import csv
import io
from contextlib import redirect_stdout

import pytest
from django.core.management import call_command
from django.http import StreamingHttpResponse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from sinergi.core.writing import write_csv
from sinergi.elections.commands import DEPLOYMENT
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.risk import exports, release
from sinergi.risk.models import Indicator, Variable
from sinergi.risk.queries import present_codes, release_for, rules_for
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to
from tests import personas

INDICATORS = [release.IndicatorInfo("1.1", 1, "a"), release.IndicatorInfo("1.2", 1, "b"), release.IndicatorInfo("2.1", 2, "c"), release.IndicatorInfo("3.1", 3, "d")]
VILLAGES = ["51.05.01.2001", "51.05.01.2002", "51.05.02.2001"]


@given(
    st.lists(st.sampled_from(VILLAGES), min_size=1, max_size=30),
    st.sets(st.tuples(st.integers(min_value=0, max_value=29), st.sampled_from([i.code for i in INDICATORS]))),
    st.integers(min_value=0, max_value=4),
    st.integers(min_value=0, max_value=4),
)
def test_the_release_from_counts_equals_the_release_of_every_pair(villages, pairs, top, middle):
    stations = [release.StationInfo(n, v, codes.kecamatan_of(v)) for n, v in enumerate(villages)]
    pairs = {(sid, code) for sid, code in pairs if sid < len(stations)}
    rule = release.GroupRule(top, middle)
    expected = release.compute(INDICATORS, stations, pairs, rule)
    per_village: dict[tuple[str, str], int] = {}
    variables_of: dict[int, set[int]] = {}
    variable = {i.code: i.variable for i in INDICATORS}
    for sid, code in pairs:
        key = (stations[sid].village_code, code)
        per_village[key] = per_village.get(key, 0) + 1
        variables_of.setdefault(sid, set()).add(variable[code])
    with_variable = {v: sum(1 for vs in variables_of.values() if v in vs) for v in {1, 2, 3}}
    several = [(sid, sorted(vs)) for sid, vs in variables_of.items() if len(vs) >= 2]
    rows = [(village, code, n) for (village, code), n in per_village.items()]
    assert release.from_counts(INDICATORS, len(stations), rows, with_variable, several, rule) == expected


def counted_in_python(user, election, within_area: str = "") -> release.Release:
    """The release as it was computed before: every visible TPS and every pair in Python."""
    visible = stations_visible_to(user, election)
    if within_area:
        visible = visible.filter(village__code__startswith=within_area + ".")
    stations = [release.StationInfo(sid, village, codes.kecamatan_of(village)) for sid, village in visible.values_list("id", "village_id")]
    indicators = [release.IndicatorInfo(c, n, t) for c, n, t in Indicator.objects.filter(election=election).values_list("code", "variable__number", "text")]
    pairs = [(sid, code) for sid, found in present_codes(visible).items() for code in found]
    rules = rules_for(election)
    return release.compute(indicators, stations, pairs, release.GroupRule(rules.top_group_size, rules.middle_group_size))


@pytest.mark.django_db
@pytest.mark.parametrize("username", [personas.BAWASLU, personas.POLSEK_NUSA_PENIDA, personas.KPU])
def test_the_database_release_equals_the_release_counted_tps_by_tps(user_of, pemilu, pilkada, username):
    for election in (pemilu, pilkada):
        counted = release_for(user_of(username), election)
        assert counted == counted_in_python(user_of(username), election)
    national = release_for(DEPLOYMENT, pemilu)
    assert national.stations == 649 and national.several_variables and sum(i.total for i in national.indicators) > 0
    assert national == counted_in_python(DEPLOYMENT, pemilu)
    assert release_for(DEPLOYMENT, pemilu, "51.05") == counted_in_python(DEPLOYMENT, pemilu, "51.05")


def workbook_rows(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def expected_sheets(result: release.Release, names: dict[str, str], area: str) -> dict[str, list[tuple]]:
    """The workbook's known rows, from the release counted in Python."""
    kecamatans = sorted({k for i in result.indicators for k in i.by_kecamatan})
    villages = sorted({v for i in result.indicators for v in i.by_village})
    labels = {s.pk: str(s) for s in Station.objects.filter(pk__in=[sid for sid, _ in result.several_variables]).select_related("village")}

    def matrix(areas, attribute):
        head = ("Kode", "Indikator", *[f"{names.get(a, a)} ({a})" for a in areas])
        return [head] + [(i.code, i.text, *[getattr(i, attribute).get(a, 0) for a in areas]) for i in result.indicators]

    return {
        "Ringkasan": [(f"Pemetaan TPS rawan — {area}; {result.stations} TPS", *[None] * 5), ("Peringkat", "Kode", "Variabel", "Indikator", "Jumlah TPS", "Kelompok")]
        + [(i.rank, i.code, i.variable, i.text, i.total, i.group or None) for i in result.indicators],
        "Per kecamatan": matrix(kecamatans, "by_kecamatan"),
        "Per desa": matrix(villages, "by_village"),
        "TPS multi-variabel": [("TPS", "Jumlah variabel", "Variabel")] + [(labels[sid], len(ns), ", ".join(map(str, ns))) for sid, ns in result.several_variables],
    }


@pytest.mark.django_db
def test_the_command_streams_the_known_rows(pemilu, tmp_path):
    result = counted_in_python(DEPLOYMENT, pemilu, "51.05")
    names = dict(Region.objects.values_list("code", "name"))
    out = io.StringIO()
    with redirect_stdout(out):
        call_command("risk_release", "--election", "pemilu-2024", "--district", "51.05")
    expected = write_csv(exports.CSV_COLUMNS, list(exports.release_rows(result, area_code="51.05", area_name="Klungkung", names=names)))
    assert out.getvalue() == expected
    rows = list(csv.reader(io.StringIO(expected)))
    assert rows[1][:3] == ["wilayah", "51.05", "Klungkung"] and int(rows[1][6]) == result.indicators[0].total
    target = tmp_path / "rilis.csv"
    call_command("risk_release", "--election", "pemilu-2024", "--district", "51.05", "--output", str(target))
    assert target.read_text(encoding="utf-8") == expected
    book = tmp_path / "rilis.xlsx"
    call_command("risk_release", "--election", "pemilu-2024", "--district", "51.05", "--format", "xlsx", "--output", str(book))
    sheets = workbook_rows(book.read_bytes())
    for title, rows in expected_sheets(result, names, "Klungkung (51.05)").items():
        assert sheets[title] == rows, title
    variable_names = dict(Variable.objects.filter(election=pemilu).values_list("number", "name"))
    assert sheets["Per variabel"][1:] == [(n, variable_names.get(n) or None, count) for n, count in result.by_variable.items()]


@pytest.mark.django_db
def test_the_downloads_stream_the_viewers_release(client_of, user_of, pemilu):
    result = counted_in_python(user_of(personas.POLSEK_NUSA_PENIDA), pemilu)
    client = client_of(personas.POLSEK_NUSA_PENIDA)
    response = client.get("/pemilihan/pemilu-2024/rawan/rilis.csv")
    assert isinstance(response, StreamingHttpResponse) and response["Content-Disposition"] == 'attachment; filename="tps-rawan-pemilu-2024.csv"'
    names = dict(Region.objects.values_list("code", "name"))
    area = {"area_code": "51.05.01", "area_name": names["51.05.01"], "names": names}
    assert response.getvalue().decode() == write_csv(exports.CSV_COLUMNS, list(exports.release_rows(result, **area)))
    book = client.get("/pemilihan/pemilu-2024/rawan/rilis.xlsx")
    assert isinstance(book, StreamingHttpResponse) and 'filename="tps-rawan-pemilu-2024.xlsx"' in book["Content-Disposition"]
    assert workbook_rows(book.getvalue())["Per desa"] == expected_sheets(result, names, "")["Per desa"]


def test_a_matrix_wider_than_excel_turns_an_area_per_row(monkeypatch):
    result = release.compute(INDICATORS, [release.StationInfo(n, v, codes.kecamatan_of(v)) for n, v in enumerate(VILLAGES)], [(0, "1.1"), (2, "2.1")])
    names = {v: f"Desa {n}" for n, v in enumerate(VILLAGES)}
    wide = list(exports._matrix(result, VILLAGES, names, "by_village"))
    assert wide[0] == ["Kode", "Indikator", *[f"Desa {n} ({v})" for n, v in enumerate(VILLAGES)]] and len(wide) == 1 + len(INDICATORS)
    monkeypatch.setattr(exports, "MAX_COLUMNS", len(VILLAGES) + 1)
    tall = list(exports._matrix(result, VILLAGES, names, "by_village"))
    codes_in_order = [i.code for i in result.indicators]
    assert tall[0] == ["Kode wilayah", "Wilayah", *codes_in_order]
    assert tall[1] == [VILLAGES[0], "Desa 0", *[1 if c == "1.1" else 0 for c in codes_in_order]]
    assert tall[3] == [VILLAGES[2], "Desa 2", *[1 if c == "2.1" else 0 for c in codes_in_order]]

"""Bawaslu's release: counts against small hand-computed cases, and against the demo checklists."""

import csv
import io
from contextlib import redirect_stdout

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sinergi.regions.models import Region
from sinergi.risk.models import ChecklistAnswer, Indicator
from sinergi.risk.release import GROUPS, GroupRule, IndicatorInfo, StationInfo, compute
from sinergi.stations.models import Station

INDICATORS = [IndicatorInfo("1.1", 1, "a"), IndicatorInfo("1.2", 1, "b"), IndicatorInfo("2.1", 2, "c"), IndicatorInfo("6.4", 6, "d")]
STATIONS = [
    StationInfo(1, "51.05.01.2010", "51.05.01"),
    StationInfo(2, "51.05.01.2010", "51.05.01"),
    StationInfo(3, "51.05.01.2001", "51.05.01"),
    StationInfo(4, "51.05.02.2001", "51.05.02"),
]


def test_counts_by_area_ranking_groups_and_variables_by_hand():
    present = [(1, "1.1"), (2, "1.1"), (4, "1.1"), (1, "6.4"), (3, "6.4"), (1, "2.1"), (2, "1.2"), (99, "1.1"), (1, "9.9")]
    result = compute(INDICATORS, STATIONS, present, GroupRule(top=1, middle=1))
    by_code = {i.code: i for i in result.indicators}
    assert by_code["1.1"].total == 3
    assert by_code["1.1"].by_kecamatan == {"51.05.01": 2, "51.05.02": 1}
    assert by_code["1.1"].by_village == {"51.05.01.2010": 2, "51.05.02.2001": 1}
    assert by_code["6.4"].total == 2 and by_code["2.1"].total == 1 and by_code["1.2"].total == 1
    assert [(i.code, i.rank) for i in result.indicators] == [("1.1", 1), ("6.4", 2), ("1.2", 3), ("2.1", 3)]
    assert [i.group for i in result.indicators] == [GROUPS[0], GROUPS[1], GROUPS[2], GROUPS[2]]
    # Station 1 has variables 1, 2 and 6; station 2 has only variable 1 (two indicators).
    assert result.by_variable == {1: 3, 2: 1, 6: 2}
    assert result.several_variables == [(1, [1, 2, 6])]


def test_an_indicator_present_nowhere_has_no_group():
    result = compute(INDICATORS, STATIONS, [(1, "1.1")])
    assert {i.code: i.group for i in result.indicators} == {"1.1": GROUPS[0], "1.2": "", "2.1": "", "6.4": ""}


@given(st.sets(st.tuples(st.sampled_from([s.id for s in STATIONS]), st.sampled_from([i.code for i in INDICATORS]))))
def test_totals_equal_the_pairs_and_the_area_sums(present):
    result = compute(INDICATORS, STATIONS, present)
    assert sum(i.total for i in result.indicators) == len(present)
    for entry in result.indicators:
        assert sum(entry.by_kecamatan.values()) == sum(entry.by_village.values()) == entry.total
    ranks = [i.rank for i in result.indicators]
    assert ranks == sorted(ranks)


@pytest.mark.django_db
def test_the_cli_release_matches_the_demo_checklists(pemilu):
    out = io.StringIO()
    with redirect_stdout(out):
        call_command("risk_release", "--election", "pemilu-2024")
    rows = [r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["tingkat"] == "wilayah"]
    assert len(rows) == 22
    for row in rows:
        expected = ChecklistAnswer.objects.filter(station__election=pemilu, indicator__code=row["kode_indikator"], present=True).count()
        assert int(row["jumlah_tps"]) == expected, row["kode_indikator"]
    assert {r["kode_indikator"]: int(r["jumlah_tps"]) for r in rows}["2.2"] == 2  # Ped TPS 17 and 18


@pytest.mark.django_db
def test_the_xlsx_release_has_its_sheets(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "rilis.xlsx"
    call_command("risk_release", "--election", "pemilu-2024", "--format", "xlsx", "--output", str(path))
    workbook = load_workbook(path)
    # The deployment sees every district: a matrix per kabupaten/kota too (one district here).
    assert workbook.sheetnames == ["Ringkasan", "Per kabupaten-kota", "Per kecamatan", "Per desa", "Per variabel", "TPS multi-variabel"]
    assert workbook["Ringkasan"]["A3"].value == 1
    assert [cell.value for cell in workbook["Per kabupaten-kota"][1]] == ["Kode", "Indikator", "Klungkung (51.05)"]
    path = tmp_path / "klungkung.xlsx"
    call_command("risk_release", "--election", "pemilu-2024", "--district", "51.05", "--format", "xlsx", "--output", str(path))
    assert "Per kabupaten-kota" not in load_workbook(path).sheetnames


@pytest.mark.django_db
def test_the_cli_release_of_one_district_leaves_the_others_out(pemilu):
    """A second district's TPS with an indicator present: in the deployment's release, not in Klungkung's."""
    Region.objects.create(code="51.71", name="Denpasar", kind=Region.Kind.KOTA, parent_id="51", level=2)
    Region.objects.create(code="51.71.01", name="Denpasar Selatan", kind=Region.Kind.KECAMATAN, parent_id="51.71", level=3)
    Region.objects.create(code="51.71.01.1001", name="Sesetan", kind=Region.Kind.KELURAHAN, parent_id="51.71.01", level=4)
    station = Station.objects.create(election=pemilu, village_id="51.71.01.1001", number=1, voters=250)
    ChecklistAnswer.objects.create(station=station, indicator=Indicator.objects.get(election=pemilu, code="2.2"), present=True, filled_at=timezone.now())

    def counted(*extra, level="wilayah") -> dict:
        out = io.StringIO()
        with redirect_stdout(out):
            call_command("risk_release", "--election", "pemilu-2024", *extra)
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        if level == "kabupaten":
            return {(r["kode_indikator"], r["kode_wilayah"], r["nama_wilayah"]): int(r["jumlah_tps"]) for r in rows if r["tingkat"] == level}
        return {r["kode_indikator"]: int(r["jumlah_tps"]) for r in rows if r["tingkat"] == level}

    assert counted()["2.2"] == 3
    assert counted("--district", "51.05")["2.2"] == 2 and counted("--district", "51.71")["2.2"] == 1
    # The deployment's release has a row per district for each indicator; a district's has none.
    per_district = counted(level="kabupaten")
    assert per_district[("2.2", "51.05", "Klungkung")] == 2 and per_district[("2.2", "51.71", "Denpasar")] == 1
    assert all(code in ("51.05", "51.71") for _i, code, _n in per_district)
    assert counted("--district", "51.05", level="kabupaten") == {}
    with pytest.raises(CommandError, match="Kabupaten/kota '51.05.01' tidak dikenal"):
        call_command("risk_release", "--election", "pemilu-2024", "--district", "51.05.01")

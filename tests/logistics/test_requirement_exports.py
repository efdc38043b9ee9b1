"""The requirements' streamed exports and SQL totals give what the in-memory ones gave."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import StreamingHttpResponse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from sinergi.core.writing import write_csv, write_xlsx_sheets
from sinergi.elections.commands import DEPLOYMENT
from sinergi.logistics import requirements
from sinergi.logistics.exports import CSV_COLUMNS, RECAP_COLUMNS
from sinergi.logistics.requirement_queries import requirement_totals, requirements_for
from sinergi.logistics.services import set_reserve
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.stations.models import Station
from tests import personas

ITEMS = [
    requirements.Item("ss", "Surat suara", "lembar", requirements.VOTERS),
    requirements.Item("kotak", "Kotak", "buah", requirements.FIXED, 5),
    requirements.Item("tinta", "Tinta", "botol", requirements.FIXED, 2),
]
VILLAGES = ["51.05.01.2001", "51.05.01.2002", "51.05.02.2001"]


def totals_only(result: requirements.Requirements) -> tuple:
    return (result.items, result.by_village, result.by_kecamatan, result.total, result.reserves)


@given(st.lists(st.tuples(st.sampled_from(VILLAGES), st.integers(min_value=0, max_value=900)), max_size=40), st.integers(min_value=0, max_value=500))
def test_totals_from_village_sums_equal_the_totals_of_every_tps(stations, hundredths):
    percent = Decimal(hundredths) / 100
    inputs = [requirements.StationInput(n, village, codes.kecamatan_of(village), voters) for n, (village, voters) in enumerate(stations)]
    sums = {}
    for station in inputs:
        n, v, b = sums.get(station.village_code, (0, 0, 0))
        sums[station.village_code] = (n + 1, v + station.voters, b + requirements.ballots_with_reserve(station.voters, percent))
    villages = [requirements.VillageSums(code, codes.kecamatan_of(code), *sums[code]) for code in sums]
    expected = requirements.compute(inputs, ITEMS, percent, {"ss": 7})
    assert totals_only(requirements.from_village_sums(villages, ITEMS, {"ss": 7})) == totals_only(expected)


@pytest.mark.django_db
@pytest.mark.parametrize("username", [personas.KPU, personas.POLSEK_NUSA_PENIDA, personas.BAWASLU])
def test_the_database_totals_equal_the_totals_of_every_tps(user_of, pemilu, pilkada, username):
    set_reserve(actor=user_of(personas.KPU), election=pemilu, region=Region.objects.get(code="51.05"), item_code="tinta", quantity=40)
    for election in (pemilu, pilkada):
        summed = requirement_totals(user_of(username), election)
        assert summed.total.stations > 0 and summed.per_station == {}
        assert totals_only(summed) == totals_only(requirements_for(user_of(username), election))
    narrowed = requirement_totals(DEPLOYMENT, pemilu, "51.05")
    assert totals_only(narrowed) == totals_only(requirements_for(DEPLOYMENT, pemilu, "51.05")) and narrowed.reserves["tinta"] == 40


@pytest.fixture
def odd_names(db):
    """A village whose name a spreadsheet would run as a formula, and a TPS with no voters."""
    Region.objects.filter(code="51.05.01.2001").update(name="=HYPERLINK(1)")
    Station.objects.filter(village_id="51.05.02.2001", number=1, election__slug="pemilu-2024").update(voters=0)


def requirements_csv(result: requirements.Requirements, stations: list[Station]) -> str:
    """The reference: the CSV built from every TPS loaded as an object, as before streaming."""
    rows = [
        [s.village.parent_id, s.village.parent.name, s.village_id, s.village.name, s.number, s.voters, item.code, item.name, item.unit, result.per_station[s.pk][item.code]]
        for s in sorted((s for s in stations if s.pk in result.per_station), key=lambda s: (s.village_id, s.number))
        for item in result.items
    ]
    return write_csv(CSV_COLUMNS, rows)


def requirements_xlsx(result: requirements.Requirements, stations: list[Station], names: dict[str, str]) -> bytes:
    """The reference workbook, from loaded TPS and the totals in memory."""
    codes = [item.code for item in result.items]
    ordered = sorted((s for s in stations if s.pk in result.per_station), key=lambda s: (s.village_id, s.number))
    per_tps = [[s.village.parent_id, s.village.parent.name, s.village_id, s.village.name, s.number, s.voters, *(result.per_station[s.pk][c] for c in codes)] for s in ordered]

    def areas(buckets):
        return [[code, names.get(code, code), t.stations, t.voters, *(t.items[c] for c in codes)] for code, t in buckets.items()]

    recap = [[i.code, i.name, i.unit, result.total.items[i.code], result.reserves.get(i.code, 0), result.grand_total(i.code)] for i in result.items]
    return write_xlsx_sheets(
        [
            ("Per TPS", ["kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa", "nomor_tps", "pemilih", *codes], per_tps),
            ("Per desa", ["kode_desa", "nama_desa", "tps", "pemilih", *codes], areas(result.by_village)),
            ("Per kecamatan", ["kode_kecamatan", "nama_kecamatan", "tps", "pemilih", *codes], areas(result.by_kecamatan)),
            ("Rekap", RECAP_COLUMNS, recap),
        ]
    )


def in_memory(election, within_area: str = "") -> tuple[str, bytes]:
    """The exports as they were written before streaming: every TPS loaded, then the text."""
    result = requirements_for(DEPLOYMENT, election, within_area)
    stations = list(Station.objects.filter(election=election, village__code__startswith=within_area).select_related("village__parent"))
    names = dict(Region.objects.filter(code__in=list(result.by_kecamatan) + list(result.by_village)).values_list("code", "name"))
    return requirements_csv(result, stations), requirements_xlsx(result, stations, names)


def sheets_of(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def text_kept(content: bytes) -> bool:
    """The formula-looking village name is a text cell, not a formula."""
    sheet = load_workbook(io.BytesIO(content))["Per TPS"]
    cells = [row[3] for row in sheet.iter_rows(min_row=2) if row[3].value == "=HYPERLINK(1)"]
    return bool(cells) and all(cell.data_type == "s" for cell in cells)


@pytest.mark.django_db
@pytest.mark.parametrize("district", ["", "51.05"])
def test_the_command_streams_the_same_csv_and_workbook(pemilu, odd_names, tmp_path, district):
    text, workbook = in_memory(pemilu, district)
    assert "'=HYPERLINK(1)" in text and ",0,surat-suara-dpr," in text
    extra = ["--district", district] if district else []
    out = io.StringIO()
    call_command("logistics_requirements", "--election", "pemilu-2024", *extra, stdout=out)
    assert out.getvalue() == text
    csv_file, xlsx_file = tmp_path / "k.csv", tmp_path / "k.xlsx"
    call_command("logistics_requirements", "--election", "pemilu-2024", "--format", "csv", "--output", str(csv_file), *extra)
    assert csv_file.read_bytes() == text.encode("utf-8")
    call_command("logistics_requirements", "--election", "pemilu-2024", "--format", "xlsx", "--output", str(xlsx_file), *extra)
    written = sheets_of(xlsx_file.read_bytes())
    # The deployment sees the whole country: a row per province and the total (Bali alone here).
    per_province = written.pop("Per provinsi", None)
    assert (per_province is None) == bool(district)
    if per_province is not None:
        voters = sum(row[3] for row in written["Per kecamatan"][1:])
        assert [row[:4] for row in per_province[1:]] == [("51", "Bali", 649, voters), (None, "JUMLAH", 649, voters)]
    assert written == sheets_of(workbook)
    assert text_kept(xlsx_file.read_bytes()) and text_kept(workbook)
    streamed = load_workbook(xlsx_file)
    assert all(sheet.freeze_panes == "A2" and sheet["A1"].font.bold and not sheet["A2"].font.bold for sheet in streamed.worksheets)
    with pytest.raises(CommandError, match="memerlukan --output"):
        call_command("logistics_requirements", "--election", "pemilu-2024", "--format", "xlsx")


@pytest.mark.django_db
def test_the_downloads_stream_what_the_user_may_see(client_of, user_of, pemilu, odd_names):
    result = requirements_for(user_of(personas.POLSEK_NUSA_PENIDA), pemilu)
    stations = list(Station.objects.filter(pk__in=list(result.per_station)).select_related("village__parent"))
    names = dict(Region.objects.filter(code__in=list(result.by_kecamatan) + list(result.by_village)).values_list("code", "name"))
    polsek = client_of(personas.POLSEK_NUSA_PENIDA)
    csv_response = polsek.get("/pemilihan/pemilu-2024/logistik/kebutuhan.csv")
    assert isinstance(csv_response, StreamingHttpResponse) and csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"] == 'attachment; filename="kebutuhan-logistik-pemilu-2024.csv"'
    assert csv_response.getvalue().decode("utf-8") == requirements_csv(result, stations)
    xlsx_response = polsek.get("/pemilihan/pemilu-2024/logistik/kebutuhan.xlsx")
    assert isinstance(xlsx_response, StreamingHttpResponse) and 'filename="kebutuhan-logistik-pemilu-2024.xlsx"' in xlsx_response["Content-Disposition"]
    streamed = sheets_of(xlsx_response.getvalue())
    assert streamed == sheets_of(requirements_xlsx(result, stations, names)) and len(streamed["Per TPS"]) == 199
    jaksa = client_of(personas.JAKSA)
    assert jaksa.get("/pemilihan/pemilu-2024/logistik/kebutuhan.csv").status_code == 403
    assert jaksa.get("/pemilihan/pemilu-2024/logistik/kebutuhan.xlsx").status_code == 403

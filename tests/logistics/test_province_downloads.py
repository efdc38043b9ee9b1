"""A province's requirement downloads carry one row per district, each with its own reserves, and
the province total, as its page does (tests/situation/province.py: Klungkung and the invented
Rekaan Barat, 5 TPS and 800 voters, no reserves); a district's downloads carry none; a province
viewer's PDF is printed on its province's clock."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from sinergi.logistics.requirement_queries import requirements_for
from tests import personas
from tests.pdfs import pages_of
from tests.situation.province import KPU_BALI, REKAAN

SHEET = "Per kabupaten-kota"


def workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.django_db
def test_a_province_workbook_has_a_row_per_district_and_the_total(bali, pemilu, client_of, user_of):
    book = workbook(client_of(KPU_BALI).get("/pemilihan/pemilu-2024/logistik/kebutuhan.xlsx"))
    assert book.sheetnames == ["Per TPS", "Per desa", "Per kecamatan", SHEET, "Rekap"]
    header, *rows = [list(row) for row in book[SHEET].iter_rows(values_only=True)]
    items = requirements_for(user_of(KPU_BALI), pemilu).items
    assert header == ["kode_kabupaten_kota", "nama_kabupaten_kota", "tps", "pemilih", *(item.code for item in items)]
    assert [row[:2] for row in rows] == [["51.05", "Klungkung"], [REKAAN, "Rekaan Barat"], [None, "JUMLAH"]]
    klungkung, rekaan, total = rows
    alone = requirements_for(user_of(KPU_BALI), pemilu, REKAAN)
    assert rekaan[2:] == [5, 800, *(alone.grand_total(item.code) for item in items)]
    with_reserves = requirements_for(user_of(personas.KPU), pemilu)  # Klungkung's own reserves are in its row
    assert klungkung[2:4] == [with_reserves.total.stations, with_reserves.total.voters]
    assert klungkung[4:] == [with_reserves.grand_total(item.code) for item in items]
    assert total[2:] == [a + b for a, b in zip(klungkung[2:], rekaan[2:], strict=True)]


@pytest.mark.django_db
def test_a_district_workbook_has_no_district_rows(bali, client_of):
    book = workbook(client_of(personas.KPU).get("/pemilihan/pemilu-2024/logistik/kebutuhan.xlsx"))
    assert SHEET not in book.sheetnames


@pytest.mark.django_db
def test_the_command_writes_a_row_per_province_unless_given_a_district(bali, tmp_path):
    everywhere, one = tmp_path / "all.xlsx", tmp_path / "one.xlsx"
    call_command("logistics_requirements", election="pemilu-2024", format="xlsx", output=everywhere)
    call_command("logistics_requirements", election="pemilu-2024", format="xlsx", output=one, district=REKAAN)
    # The deployment sees the whole country: a row per province (Bali's two districts, NTB's one).
    book = load_workbook(everywhere)
    assert SHEET not in book.sheetnames
    rows = [row[:3] for row in book["Per provinsi"].iter_rows(min_row=2, values_only=True)]
    assert rows == [("51", "Bali", 649 + 5), ("52", rows[1][1], 1), (None, "JUMLAH", 655)]
    assert {SHEET, "Per provinsi"}.isdisjoint(load_workbook(one).sheetnames)


@pytest.mark.django_db
def test_a_province_pdf_has_the_district_table(bali, client_of):
    text = "\n".join(pages_of(client_of(KPU_BALI).get("/pemilihan/pemilu-2024/logistik/kebutuhan.pdf").content))
    assert "Per kabupaten/kota" in text and "Rekaan Barat (51.09)" in text and "Klungkung (51.05)" in text
    assert "WITA" in text
    district = "\n".join(pages_of(client_of(personas.KPU).get("/pemilihan/pemilu-2024/logistik/kebutuhan.pdf").content))
    assert "Per kabupaten/kota" not in district


@pytest.mark.django_db
def test_a_province_viewer_chooses_the_district_of_the_status_board(bali, client_of):
    """The status board lists every TPS: a KPU Provinsi chooses a district first and reads that
    district's board (its own H-1), with the others a click away; a district's KPU goes straight in."""
    kpu_bali = client_of(KPU_BALI)
    chooser = kpu_bali.get("/pemilihan/pemilu-2024/logistik/status/")
    assert chooser.status_code == 200 and "board" not in chooser.context
    assert [r.code for r in chooser.context["choices"]] == ["51.05", REKAAN]
    rekaan = kpu_bali.get(f"/pemilihan/pemilu-2024/logistik/status/?kabupaten={REKAAN}")
    assert rekaan.status_code == 200 and rekaan.context["district"].code == REKAAN
    assert len(rekaan.context["board"].rows) == 5  # Rekaan Barat's five TPS, none of Klungkung's
    assert kpu_bali.get("/pemilihan/pemilu-2024/logistik/status/?kabupaten=52.01").status_code == 404  # another province
    assert len(client_of(personas.KPU).get("/pemilihan/pemilu-2024/logistik/status/").context["board"].rows) == 649

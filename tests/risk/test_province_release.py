"""A province's release downloads carry a level per kabupaten/kota (tests/situation/province.py:
Klungkung with the demo's checklists, Rekaan Barat with none): every district of the province is
there, Rekaan Barat with zeros, and the districts add up to the province; a district's downloads
have no such level."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests import personas
from tests.situation.province import BAWASLU_BALI, REKAAN

RELEASE = "/pemilihan/pemilu-2024/rawan/rilis"


def download(client, fmt: str):
    response = client.get(f"{RELEASE}.{fmt}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_the_province_csv_has_a_row_per_district_adding_up_to_the_province(bali, client_of):
    rows = list(csv.DictReader(io.StringIO(download(client_of(BAWASLU_BALI), "csv").decode())))
    province = {r["kode_indikator"]: int(r["jumlah_tps"]) for r in rows if r["tingkat"] == "wilayah"}
    districts: dict[str, dict[str, int]] = {}
    for r in rows:
        if r["tingkat"] == "kabupaten":
            districts.setdefault(r["kode_indikator"], {})[r["kode_wilayah"]] = int(r["jumlah_tps"])
    assert province and set(districts) == set(province)
    for code, total in province.items():
        assert set(districts[code]) == {"51.05", REKAAN}, code  # Rekaan Barat is listed with its zero
        assert districts[code][REKAAN] == 0 and districts[code]["51.05"] == total
    klungkung = list(csv.DictReader(io.StringIO(download(client_of(personas.BAWASLU), "csv").decode())))
    assert klungkung and not [r for r in klungkung if r["tingkat"] == "kabupaten"]


@pytest.mark.django_db
def test_the_province_workbook_has_a_column_per_district(bali, client_of):
    book = load_workbook(io.BytesIO(download(client_of(BAWASLU_BALI), "xlsx")))
    assert book.sheetnames[:3] == ["Ringkasan", "Per kabupaten-kota", "Per kecamatan"]
    rows = list(book["Per kabupaten-kota"].iter_rows(values_only=True))
    assert rows[0] == ("Kode", "Indikator", "Klungkung (51.05)", "Rekaan Barat (51.09)")
    summary = {row[1]: row[4] for row in book["Ringkasan"].iter_rows(min_row=3, values_only=True)}
    assert {code: (klungkung, rekaan) for code, _text, klungkung, rekaan in rows[1:]} == {code: (total, 0) for code, total in summary.items()}
    district = load_workbook(io.BytesIO(download(client_of(personas.BAWASLU), "xlsx")))
    assert "Per kabupaten-kota" not in district.sheetnames

"""CSV exports never write a live formula (issue 13, item 8).

A spreadsheet program reads a CSV cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return as a formula. Every CSV export goes through `core.writing.write_csv`, which writes such text
with a leading apostrophe; numbers stay numbers; our own import reads the apostrophe back off.
"""

import csv
import io
import pathlib

import pytest

from sinergi.core.tabular import read_table
from sinergi.core.writing import write_csv
from sinergi.regions.models import Region
from sinergi.stations.models import Station
from tests import personas

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_PLACE = '=HYPERLINK("http://x";"klik")'


def looks_like_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def live_formulas(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell.startswith(TRIGGERS) and not looks_like_number(cell)]


def test_text_cells_are_neutralised_and_numbers_are_not():
    text = write_csv(["a"], [["=1+1"], ["+62 812 555"], ["-cmd|' /C calc'!A0"], ["@SUM(A1)"], ["\tx"], ["\rx"], [-3], ["-8.683000"], [2.5], ["Balai"]])
    cells = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert cells == ["'=1+1", "'+62 812 555", "'-cmd|' /C calc'!A0", "'@SUM(A1)", "'\tx", "'\rx", "-3", "-8.683000", "2.5", "Balai"]


def test_the_reader_takes_our_apostrophe_back_off_and_leaves_others_alone():
    text = write_csv(["lokasi", "catatan"], [[FORMULA_PLACE, "'s-Hertogenbosch"], ["-cmd", "'biasa"]])
    table = read_table("x.csv", text.encode())
    assert [values for _, values in table.rows] == [
        {"lokasi": FORMULA_PLACE, "catatan": "'s-Hertogenbosch"},
        {"lokasi": "-cmd", "catatan": "'biasa"},
    ]


def test_only_core_writing_writes_csv():
    # The class, not the instance: a second CSV writer would bypass the neutralising.
    root = pathlib.Path(__file__).resolve().parents[2] / "sinergi"
    writers = [str(p.relative_to(root)) for p in root.rglob("*.py") if "csv.writer" in p.read_text() or "csv.DictWriter" in p.read_text()]
    assert writers == ["core/writing.py"]


@pytest.fixture
def formula_texts(pemilu):
    """A TPS place and a village name that a spreadsheet would run as formulas."""
    Station.objects.filter(election=pemilu, village_id="51.05.01.2010", number=17).update(place=FORMULA_PLACE)
    Region.objects.filter(code="51.05.01.2010").update(name="@SUM(1+1)")


EXPORTS = [
    (personas.KPU, "/pemilihan/pemilu-2024/tps/ekspor.csv"),
    (personas.KPU, "/pemilihan/pemilu-2024/logistik/kebutuhan.csv"),
    (personas.POLRES, "/pemilihan/pemilu-2024/pengamanan/rencana.csv"),
    (personas.BAWASLU, "/pemilihan/pemilu-2024/rawan/rilis.csv"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "url"), EXPORTS)
def test_no_csv_export_writes_a_live_formula(client_of, formula_texts, username, url):
    response = client_of(username).get(url)
    assert response.status_code == 200
    text = response.getvalue().decode("utf-8-sig")
    assert live_formulas(text) == []
    # The negative coordinates of the TPS list stay plain numbers.
    if "tps/ekspor" in url:
        assert "'=HYPERLINK" in text
        assert ",-8." in text


@pytest.mark.django_db
def test_the_tps_csv_export_reimports_unchanged(client_of, formula_texts, pemilu):
    client = client_of(personas.KPU)
    exported = client.get("/pemilihan/pemilu-2024/tps/ekspor.csv").getvalue()  # streamed
    upload = io.BytesIO(exported)
    upload.name = "tps.csv"
    response = client.post("/pemilihan/pemilu-2024/tps/impor/", {"file": upload})
    assert "0 TPS baru, 0 diperbarui" in response.text and "0 baris akan berubah." in response.text, response.text[:3000]
    assert Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17).place == FORMULA_PLACE


XLSX_EXPORTS = [
    (personas.KPU, "/pemilihan/pemilu-2024/tps/ekspor.xlsx"),
    (personas.KPU, "/pemilihan/pemilu-2024/logistik/kebutuhan.xlsx"),
    (personas.POLRES, "/pemilihan/pemilu-2024/pengamanan/rencana.xlsx"),
    (personas.POLRES, "/pemilihan/pemilu-2024/pengamanan/formasi.xlsx"),
    (personas.BAWASLU, "/pemilihan/pemilu-2024/rawan/rilis.xlsx"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "url"), XLSX_EXPORTS)
def test_no_excel_export_writes_a_live_formula(client_of, pemilu, username, url):
    from openpyxl import load_workbook

    Station.objects.filter(election=pemilu, village_id="51.05.01.2010", number=17).update(place=FORMULA_PLACE)
    Region.objects.filter(code="51.05.01.2010").update(name="=1+1")
    Region.objects.filter(code="51.05.01").update(name="=2+2")
    response = client_of(username).get(url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.getvalue()))  # formulas read as formulas
    formulas = [cell.coordinate for ws in book.worksheets for row in ws.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []
    texts = {cell.value for ws in book.worksheets for row in ws.iter_rows() for cell in row}
    assert any(isinstance(t, str) and t.startswith(("=1+1", "=2+2")) for t in texts)  # there as text


def test_only_core_writing_and_streaming_save_workbooks():
    root = pathlib.Path(__file__).resolve().parents[2] / "sinergi"
    savers = [str(p.relative_to(root)) for p in root.rglob("*.py") if ".save(out)" in p.read_text() or "workbook.save(" in p.read_text()]
    assert sorted(savers) == ["core/streaming.py", "core/writing.py"]

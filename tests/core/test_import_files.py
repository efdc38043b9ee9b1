"""Imports tried with real-world files (issue 13, item 17): each either works or is refused with a
message naming what is actually wrong. The .xlsx fixtures are built with openpyxl as Excel would save them."""

import io
import re
from datetime import datetime

import pytest
from openpyxl import Workbook

from sinergi.core.tabular import InputRejected, UnreadableFile, read_table
from sinergi.stations import fileformat as ff
from sinergi.stations.models import Station
from sinergi.supervisors.eligibility import DECLARATIONS
from sinergi.supervisors.models import Assignment, Supervisor
from tests import personas

TPS_HEADER = ["kode_desa", "nomor_tps", "pemilih", "lokasi", "latitude", "longitude"]
TPS_ROW = ["51.05.01.2010", 90, 120, "Balai Desa Ped", -8.683, 115.505]


def xlsx(fill) -> bytes:
    workbook = Workbook()
    fill(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_tps(name: str, content: bytes):
    return read_table(name, content, required=ff.REQUIRED, known=ff.COLUMNS)


def upload_tps(client, name: str, content: bytes):
    """Upload, then confirm the preview (the import asks first: tests/core/test_confirmations.py)."""
    upload = io.BytesIO(content)
    upload.name = name
    response = client.post("/pemilihan/pemilu-2024/tps/impor/", {"file": upload})
    token = re.search(r'name="berkas" value="([^"]+)"', response.text)
    if token is None:
        return response
    return client.post("/pemilihan/pemilu-2024/tps/impor/", {"berkas": token.group(1), "confirm": "1"})


def test_a_two_row_header_with_koordinat_merged_over_latitude_and_longitude_keeps_the_coordinates():
    def fill(wb):
        ws = wb.active
        ws.append(["kode_desa", "nomor_tps", "pemilih", "lokasi", "koordinat", None])
        ws.append([None, None, None, None, "latitude", "longitude"])
        ws.merge_cells("E1:F1")
        for column in "ABCD":
            ws.merge_cells(f"{column}1:{column}2")
        ws.append(TPS_ROW)

    table = read_tps("tps.xlsx", xlsx(fill))
    assert table.header_row == 2
    assert table.rows == [(3, {"kode_desa": "51.05.01.2010", "nomor_tps": "90", "pemilih": "120", "lokasi": "Balai Desa Ped", "latitude": "-8.683", "longitude": "115.505"})]


def test_a_merged_header_without_names_under_it_is_refused_naming_the_column():
    def fill(wb):
        ws = wb.active
        ws.append(["kode_desa", "nomor_tps", "pemilih", "lokasi", "koordinat", None])
        ws.merge_cells("E1:F1")
        ws.append(TPS_ROW)

    with pytest.raises(InputRejected) as rejected:
        read_tps("tps.xlsx", xlsx(fill))
    assert "Baris 1: Kolom F berisi data (mis. baris 2) tetapi tidak punya judul" in str(rejected.value)


@pytest.mark.django_db
def test_an_unknown_column_is_not_dropped_without_a_word(client_of, pemilu):
    def fill(wb):
        ws = wb.active
        ws.append(["kode_desa", "nomor_tps", "pemilih", "lokasi", "koordinat"])
        ws.append([*TPS_ROW[:4], "-8.683, 115.505"])

    response = upload_tps(client_of(personas.KPU), "tps.xlsx", xlsx(fill))
    assert "Kolom &#x27;koordinat&#x27; tidak dikenal, jadi isinya tidak disimpan" in response.text


def test_hidden_rows_are_refused_naming_them():
    def fill(wb):
        ws = wb.active
        ws.append(TPS_HEADER)
        for number in (90, 91, 92, 93):
            ws.append(["51.05.01.2010", number, 100, "X", None, None])
        ws.row_dimensions[3].hidden = True
        ws.row_dimensions[5].hidden = True

    with pytest.raises(InputRejected) as rejected:
        read_tps("tps.xlsx", xlsx(fill))
    assert "Baris 3, 5 tersembunyi (hidden) di lembar 'Sheet'" in str(rejected.value)


def test_a_formula_without_a_stored_value_is_named_not_read_as_empty():
    def fill(wb):
        ws = wb.active
        ws.append(TPS_HEADER)
        ws.append(["51.05.01.2010", 90, "=100+20", "X", None, None])  # openpyxl stores no computed value

    with pytest.raises(InputRejected) as rejected:
        read_tps("tps.xlsx", xlsx(fill))
    assert "Baris 2, kolom 'pemilih': Sel berisi rumus tanpa nilai tersimpan" in str(rejected.value)
    assert "simpan ulang" in str(rejected.value)


@pytest.mark.django_db
def test_the_data_on_the_second_sheet_below_a_title_row_is_found(client_of, pemilu):
    def fill(wb):
        wb.active.title = "Petunjuk"
        wb.active.append(["Isi lembar 'Data TPS'. Kolom wajib: kode_desa, nomor_tps, pemilih."])
        ws = wb.create_sheet("Data TPS")
        ws.append(["DAFTAR TPS KECAMATAN NUSA PENIDA"])
        ws.append([])
        ws.append(TPS_HEADER)
        ws.append(TPS_ROW)

    response = upload_tps(client_of(personas.KPU), "tps.xlsx", xlsx(fill))
    assert response.status_code == 302, response.text[-3000:]
    assert Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=90).latitude == -8.683


def test_two_sheets_with_the_same_table_are_refused_by_name():
    def fill(wb):
        wb.active.append(TPS_HEADER)
        wb.active.append(TPS_ROW)
        copy = wb.create_sheet("Sheet (2)")
        copy.append(TPS_HEADER)
        copy.append(TPS_ROW)

    with pytest.raises(UnreadableFile, match="Lembar 'Sheet', 'Sheet \\(2\\)' sama-sama berisi tabel data"):
        read_tps("tps.xlsx", xlsx(fill))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "kode_desa\tnomor_tps\tpemilih\tlatitude\tlongitude\n51.05.01.2010\t90\t120\t-8.683\t115.505\n",
        "Daftar TPS Desa Ped\n\nkode_desa;nomor_tps;pemilih;latitude;longitude\n51.05.01.2010;90;120;-8,683;115,505\n",
        "Daftar TPS, Desa Ped\nkode_desa,nomor_tps,pemilih,latitude,longitude\n51.05.01.2010,90,120,-8.683,115.505\n",
    ],
    ids=["tab", "title-semicolon", "title-comma"],
)
def test_tab_separated_files_and_title_rows_import(client_of, pemilu, text):
    response = upload_tps(client_of(personas.KPU), "tps.csv", text.encode())
    assert response.status_code == 302, response.text[-3000:]
    assert Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=90).voters == 120


@pytest.mark.django_db
def test_a_file_without_a_recognisable_header_says_so(client_of):
    response = upload_tps(client_of(personas.KPU), "tps.csv", b"desa|tps|dpt\n51.05.01.2010|90|120\n")
    assert response.status_code == 400
    assert "Baris judul tidak ditemukan: tidak ada baris di 10 baris pertama" in response.text
    assert "kode_desa, nomor_tps, pemilih" in response.text


@pytest.mark.django_db
def test_a_missing_column_is_named_on_the_row_the_header_is_on(client_of):
    text = "Daftar TPS\nkode_desa,nomor_tps\n51.05.01.2010,90\n"
    response = upload_tps(client_of(personas.KPU), "tps.csv", text.encode())
    assert "Baris 2, kolom &#x27;pemilih&#x27;: Kolom wajib &#x27;pemilih&#x27; tidak ada. Tambahkan kolom ini pada baris judul (baris 2)." in response.text


ROSTER = ["nama", "nik", "tanggal_lahir", "jenis_kelamin", "pendidikan", "kode_desa_domisili", "telepon", "peran", "kode_wilayah", "nomor_tps", "tanggal_daftar", *DECLARATIONS]


def roster_xlsx(phone, born=datetime(1990, 5, 1)) -> bytes:
    def fill(wb):
        ws = wb.active
        ws.append(ROSTER)
        ws.append(["Ni Kadek Fiktif", "5105015501010001", born, "P", "S1", "51.05.01.2010", phone, "pkd", "51.05.01.2010", None, datetime(2024, 1, 12), *["ya"] * len(DECLARATIONS)])
        ws["C2"].number_format = "dd/mm/yyyy"

    return xlsx(fill)


def upload_roster(client, content: bytes):
    upload = io.BytesIO(content)
    upload.name = "pengawas.xlsx"
    response = client.post("/pemilihan/pemilu-2024/pengawas/impor/", {"file": upload})
    token = re.search(r'name="berkas" value="([^"]+)"', response.text)
    if token is None:
        return response
    return client.post("/pemilihan/pemilu-2024/pengawas/impor/", {"berkas": token.group(1), "confirm": "1"})


@pytest.mark.django_db
def test_excel_date_cells_and_a_numeric_mobile_number_import(client_of, pemilu):
    response = upload_roster(client_of(personas.BAWASLU), roster_xlsx(81234567890))
    assert response.status_code == 302, response.text[-3000:]
    person = Supervisor.objects.get(election=pemilu, nik="5105015501010001")
    assert (person.birth_date.isoformat(), person.phone) == ("1990-05-01", "081234567890")
    assert Assignment.objects.filter(supervisor=person, role="pkd").exists()


@pytest.mark.django_db
def test_a_numeric_phone_that_cannot_be_restored_is_refused(client_of, pemilu):
    response = upload_roster(client_of(personas.BAWASLU), roster_xlsx(361123456))
    assert response.status_code == 400
    assert "Baris 2, kolom &#x27;telepon&#x27;: Nomor telepon &#x27;361123456&#x27; tidak diawali 0 atau +62" in response.text
    assert not Supervisor.objects.filter(election=pemilu, nik="5105015501010001").exists()


@pytest.mark.django_db
def test_a_nik_typed_as_a_number_is_refused_saying_why(client_of, pemilu):
    def fill(wb):
        ws = wb.active
        ws.append(ROSTER)
        # What Excel stores for 5105015501010001 typed into a number cell: 15 significant digits.
        ws.append(["Ni Kadek Fiktif", 5105015501010000.0, "1990-05-01", "P", "S1", "51.05.01.2010", "081234567890", "pkd", "51.05.01.2010", None, "2024-01-12", *["ya"] * len(DECLARATIONS)])

    response = upload_roster(client_of(personas.BAWASLU), xlsx(fill))
    assert response.status_code == 400
    assert "Baris 2, kolom &#x27;nik&#x27;: Angka 5105015501010000 tersimpan sebagai angka di Excel, yang hanya menyimpan 15 digit" in response.text


def test_a_formula_with_its_value_stored_as_excel_saves_it_is_read_as_that_value():
    import zipfile

    def fill(wb):
        ws = wb.active
        ws.append(TPS_HEADER)
        ws.append(["51.05.01.2010", 90, "=100+20", "X", None, None])

    source, out = zipfile.ZipFile(io.BytesIO(xlsx(fill))), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            # Excel stores the computed value beside the formula; openpyxl leaves it empty.
            target.writestr(item, data.replace(b"<f>100+20</f><v />", b"<f>100+20</f><v>120</v>") if item.filename.endswith("sheet1.xml") else data)
    table = read_tps("tps.xlsx", out.getvalue())
    assert table.rows[0][1]["pemilih"] == "120"

"""Importing TPS files: all or nothing, every bad row named, re-imports change nothing."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from sinergi.audit.models import AuditEvent
from sinergi.stations.models import Station
from tests import personas

HEADER = "kode_kecamatan,kode_desa,nomor_tps,lokasi,latitude,longitude,pemilih,akses,penyeberangan,lokasi_khusus,koordinat_perkiraan\n"
# A valid new TPS: Desa Ped has 18+ demo TPS, so number 90 is new. The point lies inside Ped.
GOOD_ROW = "51.05.01,51.05.01.2010,90,Balai Desa Ped,-8.683,115.505,120,laut,Padangbai – Sampalan/Mentigi (kapal RoRo),tidak,tidak\n"


def write(tmp_path, text: str, name: str = "tps.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot():
    return sorted(Station.objects.values_list("election_id", "village_id", "number", "voters", "place", "latitude", "longitude"))


def run_import(path, election="pemilu-2024"):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_stations", "--election", election, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


BAD_FILES = {
    "unknown village code": ("51.05.01,51.05.09.2999,1,X,,,100,darat,,tidak,tidak\n", "Baris 3, kolom 'kode_desa': Kode desa '51.05.09.2999' tidak dikenal"),
    "voters above the limit": ("51.05.01,51.05.01.2010,91,X,,,301,darat,,tidak,tidak\n", "Baris 3, kolom 'pemilih': Jumlah pemilih 301 melebihi batas 300"),
    "duplicate TPS number": (GOOD_ROW.replace("Balai Desa Ped", "Lain"), "Baris 3, kolom 'nomor_tps': TPS 90 desa 51.05.01.2010 muncul dua kali (juga di baris 2)"),
    "non-numeric voters": ("51.05.01,51.05.01.2010,92,X,,,dua ratus,darat,,tidak,tidak\n", "Baris 3, kolom 'pemilih': Jumlah pemilih 'dua ratus' bukan bilangan bulat"),
    "non-numeric TPS number": ("51.05.01,51.05.01.2010,TPS 5,X,,,10,darat,,tidak,tidak\n", "Baris 3, kolom 'nomor_tps': Nomor TPS 'TPS 5' bukan bilangan bulat"),
    "coordinates outside Indonesia": ("51.05.01,51.05.01.2010,93,X,8.53,115.40,10,darat,,tidak,tidak\n", "Baris 3, kolom 'latitude': Koordinat (8.53, 115.4) berada di luar wilayah Indonesia"),
    "swapped coordinates": ("51.05.01,51.05.01.2010,94,X,115.40,-8.53,10,darat,,tidak,tidak\n", "berada di luar wilayah Indonesia"),
    "one coordinate only": ("51.05.01,51.05.01.2010,95,X,-8.53,,10,darat,,tidak,tidak\n", "Baris 3, kolom 'longitude': Hanya satu koordinat yang diisi"),
    "kecamatan not matching village": ("51.05.02,51.05.01.2010,96,X,,,10,darat,,tidak,tidak\n", "Baris 3, kolom 'kode_kecamatan': Kode kecamatan '51.05.02' tidak cocok"),
    "unknown access": ("51.05.01,51.05.01.2010,97,X,,,10,udara,,tidak,tidak\n", "Baris 3, kolom 'akses': Akses 'udara' tidak dikenal"),
    "bad yes/no": ("51.05.01,51.05.01.2010,98,X,,,10,darat,,mungkin,tidak\n", "Baris 3, kolom 'lokasi_khusus': Nilai 'mungkin' tidak dikenal"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_row_rejects_the_whole_file_and_names_row_and_column(tmp_path, case):
    bad_row, expected = BAD_FILES[case]
    path = write(tmp_path, HEADER + GOOD_ROW + bad_row)
    before, events_before = snapshot(), AuditEvent.objects.count()

    with pytest.raises(CommandError, match="tidak ada TPS yang disimpan"):
        run_import(path)

    assert snapshot() == before  # the good row was not written either
    assert AuditEvent.objects.count() == events_before


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_the_error_message_is_the_documented_one(tmp_path, case):
    bad_row, expected = BAD_FILES[case]
    path = write(tmp_path, HEADER + GOOD_ROW + bad_row)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_stations", "--election", "pemilu-2024", str(path), stderr=err)
    assert expected in err.getvalue()


@pytest.mark.django_db
def test_every_bad_row_is_reported_not_just_the_first(tmp_path):
    rows = "".join(bad for bad, _ in BAD_FILES.values() if "90" not in bad)
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^\d+ kesalahan"):
        call_command("import_stations", "--election", "pemilu-2024", str(write(tmp_path, HEADER + rows)), stderr=err)
    reported_rows = {line.split(",")[0] for line in err.getvalue().splitlines()}
    assert reported_rows == {f"Baris {n}" for n in range(2, 2 + rows.count("\n"))}


@pytest.mark.django_db
def test_a_missing_required_column_is_named(tmp_path):
    path = write(tmp_path, "kode_desa,nomor_tps\n51.05.01.2010,90\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_stations", "--election", "pemilu-2024", str(path), stderr=err)
    assert "Baris 1, kolom 'pemilih': Kolom wajib 'pemilih' tidak ada" in err.getvalue()


@pytest.mark.django_db
def test_an_unreadable_file_is_refused_with_a_message(tmp_path):
    path = tmp_path / "tps.xlsx"
    path.write_bytes(b"this is not a spreadsheet")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_stations", "--election", "pemilu-2024", str(path), stderr=err)
    assert "Berkas Excel tidak dapat dibuka" in err.getvalue()


@pytest.mark.django_db
def test_a_valid_file_creates_then_a_reimport_changes_nothing(tmp_path, pemilu):
    path = write(tmp_path, HEADER + GOOD_ROW)
    out, _ = run_import(path)
    assert out.strip() == "1 TPS baru, 0 diperbarui, 0 tidak berubah."
    station = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=90)
    assert (station.voters, station.access, station.latitude) == (120, "laut", -8.683)
    assert AuditEvent.objects.filter(action="station.create", object_id=str(station.pk)).exists()

    events = AuditEvent.objects.count()
    out, _ = run_import(path)
    assert out.strip() == "0 TPS baru, 0 diperbarui, 1 tidak berubah. Tidak ada perubahan."
    # Only the import's own summary event is added; no station event.
    assert AuditEvent.objects.count() == events + 1


@pytest.mark.django_db
def test_a_changed_row_updates_and_the_audit_names_the_fields(tmp_path, pemilu):
    run_import(write(tmp_path, HEADER + GOOD_ROW))
    out, _ = run_import(write(tmp_path, HEADER + GOOD_ROW.replace(",120,", ",130,")))
    assert out.startswith("0 TPS baru, 1 diperbarui")
    station = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=90)
    assert station.voters == 130
    event = AuditEvent.objects.filter(action="station.update", object_id=str(station.pk)).get()
    assert event.changes == {"voters": [120, 130]}


@pytest.mark.django_db
def test_a_point_outside_its_village_is_saved_with_a_warning(tmp_path, pemilu):
    # Semarapura's town square, far from Desa Ped.
    row = GOOD_ROW.replace("-8.683,115.505", "-8.5353,115.4036")
    _, err = run_import(write(tmp_path, HEADER + row))
    assert "Peringatan — Baris 2, kolom 'latitude': Titik TPS 90 berada di luar batas desa Ped" in err
    assert Station.objects.filter(election=pemilu, village_id="51.05.01.2010", number=90).exists()


@pytest.mark.django_db
def test_pilkada_allows_600_voters(tmp_path, pilkada):
    row = "51.05.01,51.05.01.2010,90,X,,,600,darat,,tidak,tidak\n"
    run_import(write(tmp_path, HEADER + row), election="pilkada-2024")
    assert Station.objects.get(election=pilkada, village_id="51.05.01.2010", number=90).voters == 600


@pytest.mark.django_db
def test_xlsx_with_semicolon_free_numbers_imports(tmp_path, pemilu):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["kode_desa", "nomor_tps", "pemilih", "latitude", "longitude"])
    sheet.append(["51.05.01.2010", 91, 150, -8.683, 115.505])
    path = tmp_path / "tps.xlsx"
    workbook.save(path)
    out, _ = run_import(path)
    assert out.startswith("1 TPS baru")
    assert Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=91).voters == 150


@pytest.mark.django_db
def test_csv_from_indonesian_excel_with_semicolons_and_decimal_commas(tmp_path, pemilu):
    text = "kode_desa;nomor_tps;pemilih;latitude;longitude\n51.05.01.2010;92;140;-8,683;115,505\n"
    out, _ = run_import(write(tmp_path, text))
    assert out.startswith("1 TPS baru")
    assert Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=92).latitude == -8.683


@pytest.mark.django_db
def test_web_import_by_kpu_and_refusal_for_police(client_of, pemilu, tmp_path):
    url = "/pemilihan/pemilu-2024/tps/impor/"
    assert client_of(personas.POLRES).get(url).status_code == 403
    assert client_of(personas.BAWASLU_STAFF).get(url).status_code == 403

    kpu = client_of(personas.KPU)
    bad = io.BytesIO((HEADER + GOOD_ROW + BAD_FILES["voters above the limit"][0]).encode())
    bad.name = "tps.csv"
    response = kpu.post(url, {"file": bad})
    assert response.status_code == 400
    assert "Baris 3, kolom &#x27;pemilih&#x27;: Jumlah pemilih 301 melebihi batas 300" in response.text
    assert not Station.objects.filter(election=pemilu, number=90).exists()

    good = io.BytesIO((HEADER + GOOD_ROW).encode())
    good.name = "tps.csv"
    preview = kpu.post(url, {"file": good})
    assert "1 TPS baru, 0 diperbarui, 0 tidak berubah." in preview.text and "1 baris akan berubah." in preview.text
    assert not Station.objects.filter(election=pemilu, number=90).exists()  # asked first, nothing written
    token = re.search(r'name="berkas" value="([^"]+)"', preview.text).group(1)
    response = kpu.post(url, {"berkas": token, "confirm": "1"}, follow=True)
    assert "Impor selesai: 1 TPS baru, 0 diperbarui, 0 tidak berubah." in response.text
    event = AuditEvent.objects.get(action="station.create", election="pemilu-2024", object_repr="TPS 090 Ped")
    assert event.actor_username == personas.KPU


@pytest.mark.django_db
def test_an_importer_cannot_touch_villages_outside_their_area(user_of, pemilu):
    from sinergi.core.tabular import InputRejected, read_table
    from sinergi.stations.services import import_stations

    officer = user_of(personas.KPU)
    officer.area_id = "51.05.01"  # narrowed to Nusa Penida for this test
    officer.save()
    mainland = "51.05.03,51.05.03.1001,90,X,,,10,darat,,tidak,tidak\n"
    table = read_table("tps.csv", (HEADER + mainland).encode())
    with pytest.raises(InputRejected) as rejected:
        import_stations(actor=officer, election=pemilu, table=table, source="test")
    assert "Kode desa '51.05.03.1001' tidak dikenal atau di luar wilayah Anda" in str(rejected.value)
    assert not Station.objects.filter(election=pemilu, village_id="51.05.03.1001", number=90).exists()


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_survives_an_excel_round_trip(tmp_path, pemilu):
    run_import(write(tmp_path, HEADER + GOOD_ROW.replace("Balai Desa Ped", '=HYPERLINK("http://x";"klik")')))
    path = tmp_path / "tps.xlsx"
    call_command("export_stations", "--election", "pemilu-2024", "--format", "xlsx", "--output", str(path), stderr=io.StringIO())
    out, _ = run_import(path)
    assert out.startswith("0 TPS baru, 0 diperbarui")
    assert Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=90).place == '=HYPERLINK("http://x";"klik")'


@pytest.mark.django_db
def test_an_xlsx_with_a_broken_sheet_is_refused_with_a_message(tmp_path):
    import zipfile

    good = tmp_path / "good.xlsx"
    workbook = Workbook()
    workbook.active.append(["kode_desa", "nomor_tps", "pemilih"])
    workbook.active.append(["51.05.01.2010", 90, 10])
    workbook.save(good)
    broken = tmp_path / "tps.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            # The sheet's XML cut short: openpyxl opens the file and fails only while reading rows.
            target.writestr(item, data[:-40] if item.filename.endswith("sheet1.xml") else data)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_stations", "--election", "pemilu-2024", str(broken), stderr=err)
    assert "Isi berkas Excel rusak" in err.getvalue()


@pytest.mark.django_db
def test_a_csv_with_nul_bytes_is_refused(tmp_path):
    path = write(tmp_path, HEADER + GOOD_ROW.replace("Balai", "Bal\x00ai"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_stations", "--election", "pemilu-2024", str(path), stderr=err)
    assert "karakter NUL" in err.getvalue()


@pytest.mark.django_db
def test_the_web_upload_is_capped(client_of, monkeypatch):
    from sinergi.core import forms

    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 100)
    upload = io.BytesIO((HEADER + GOOD_ROW).encode())
    upload.name = "tps.csv"
    response = client_of(personas.KPU).post("/pemilihan/pemilu-2024/tps/impor/", {"file": upload})
    assert "Berkas terlalu besar" in response.text
    assert not Station.objects.filter(number=90).exists()

"""The Polres loads its formation and its Polsek's personnel from Excel: the command, the page
(preview, then confirmation), who may, every row error, and the plan that follows from it."""

import io
from contextlib import redirect_stdout

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from sinergi.accounts.models import Agency, User
from sinergi.accounts.services import ensure_user
from sinergi.audit.models import AuditEvent
from sinergi.core.tabular import read_table
from sinergi.guard.models import Formation, FormationRule, PolsekPersonnel
from sinergi.guard.presets import FORMATIONS
from sinergi.guard.queries import plan_for
from sinergi.regions.models import Region
from sinergi.risk.models import StationClass
from tests import personas

IMPORT = "/pemilihan/pemilu-2024/pengamanan/formasi/impor/"
DOWNLOAD = "/pemilihan/pemilu-2024/pengamanan/formasi.xlsx"
LEVELS = ("kurang_rawan", "rawan", "sangat_rawan", "khusus")


def formation_file(formation: list[list] | None, personnel: list[list] | None, *, personnel_header: str = "plain") -> bytes:
    """A workbook as people make them: a merged title row above each table, numbers as numbers or as
    text, and (personnel_header="two-rows") `personel` merged over `tersedia` and `bko`."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    if formation is not None:
        sheet = workbook.create_sheet("Formasi")
        sheet.append(["FORMASI PENGAMANAN TPS POLRES KLUNGKUNG"])
        sheet.merge_cells("A1:D1")
        sheet.append([])
        sheet.append(["Kelas", "Polisi per pos", "TPS per pos", "Linmas per pos"])
        for row in formation:
            sheet.append(row)
    if personnel is not None:
        sheet = workbook.create_sheet("Personel")
        sheet.append(["PERSONEL POLSEK"])
        sheet.merge_cells("A1:D1")
        if personnel_header == "two-rows":
            sheet.append(["kode_kecamatan", "polsek", "personel", None])
            sheet.merge_cells("C2:D2")
            sheet.append([None, None, "tersedia", "bko"])
        else:
            sheet.append(["kode_kecamatan", "polsek", "personel_tersedia", "bko"])
        for row in personnel:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def load(tmp_path, content: bytes, *, election: str = "pemilu-2024") -> tuple[str, str]:
    path = tmp_path / "formasi.xlsx"
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    call_command("load_formation", "--election", election, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def load_refused(tmp_path, content: bytes) -> list[str]:
    path = tmp_path / "formasi.xlsx"
    path.write_bytes(content)
    err = io.StringIO()
    with pytest.raises(CommandError, match="tidak diubah"):
        call_command("load_formation", "--election", "pemilu-2024", str(path), stdout=io.StringIO(), stderr=err)
    return err.getvalue().splitlines()


def rules_of(election_slug: str = "pemilu-2024") -> dict[str, tuple[int, int, int]]:
    rows = FormationRule.objects.filter(formation__election__slug=election_slug, formation__agency__slug="polres-klungkung")
    return {r.level: (r.police, r.stations, r.linmas) for r in rows}


def personnel_of(election_slug: str = "pemilu-2024") -> dict[str, tuple[int, int]]:
    rows = PolsekPersonnel.objects.filter(election__slug=election_slug).select_related("agency")
    return {p.agency.slug: (p.available, p.reinforcements) for p in rows}


ONE_TPS_PER_POST = [["Kurang rawan", 3, 1, 2], ["Rawan", "3", "1", "2"], ["Sangat rawan", 3, 1, 2], ["khusus", 3, 1, 2]]


@pytest.mark.django_db
def test_the_command_loads_a_workbook_with_title_rows_a_two_row_header_and_numbers_typed_as_text(tmp_path, user_of, pemilu):
    events = AuditEvent.objects.count()
    personnel = [["51.05.01", "Polsek Nusa Penida", "500", 50], ["51.05.04", "", 85, None]]
    out, err = load(tmp_path, formation_file(ONE_TPS_PER_POST, personnel, personnel_header="two-rows"))
    assert rules_of() == {level: (3, 1, 2) for level in LEVELS}
    assert personnel_of()["polsek-nusa-penida"] == (500, 50)
    assert personnel_of()["polsek-dawan"] == (85, 0)  # an empty bko is none
    assert personnel_of()["polsek-klungkung"] == (120, 0)  # a Polsek the file does not list stays as it was
    assert "Rawan: 3 : 1 : 2" in out and "Polsek Nusa Penida: 500 + 50" in out
    assert "Formasi diganti" in out and "Personel: 0 Polsek baru, 2 diubah, 0 tidak berubah." in out
    assert err == ""
    formation = Formation.objects.get(election=pemilu, agency__slug="polres-klungkung")
    assert formation.source == "Diimpor dari berkas 'formasi.xlsx'"
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)[events:]) == ["formation.save", "personnel.save", "personnel.save"]
    # The plan follows: one TPS per post and 3 police per post, so Nusa Penida's 198 TPS need 594
    # police against 500 + 50.
    nusa_penida = next(d for d in plan_for(user_of(personas.POLRES), pemilu).plan.kecamatans if d.kecamatan_code == "51.05.01")
    assert (nusa_penida.posts, nusa_penida.police, nusa_penida.linmas) == (198, 594, 396)
    assert (nusa_penida.available_police, nusa_penida.shortage) == (550, 44)
    # Loading the same file again changes nothing and says so.
    out, _ = load(tmp_path, formation_file(ONE_TPS_PER_POST, personnel, personnel_header="two-rows"))
    assert "Tidak ada perubahan." in out and AuditEvent.objects.count() == events + 3


@pytest.mark.django_db
def test_a_file_with_only_the_personnel_leaves_the_formation(tmp_path):
    before = rules_of()
    csv = b"kode_kecamatan;personel_tersedia;bko\n51.05.02;95;5\n"
    path = tmp_path / "personel.csv"
    path.write_bytes(csv)
    out = io.StringIO()
    call_command("load_formation", "--election", "pemilu-2024", str(path), stdout=out, stderr=io.StringIO())
    assert rules_of() == before and personnel_of()["polsek-banjarangkan"] == (95, 5)
    assert "Formasi: tidak ada di berkas (tetap)." in out.getvalue()


@pytest.mark.django_db
def test_every_bad_row_is_named_and_nothing_is_written(tmp_path):
    Region.objects.create(code="51.05.09", name="Kecamatan Uji", kind=Region.Kind.KECAMATAN, parent_id="51.05", level=3)
    formation_before, personnel_before, events = rules_of(), personnel_of(), AuditEvent.objects.count()
    formation = [
        ["Sedang", 2, 4, 12],  # row 4
        ["Rawan", "dua", 2, 4],  # row 5
        ["rawan", 2, 0, 4],  # row 6
        ["Sangat rawan", 2, 1, 2],  # row 7
        ["Kurang rawan", 2, 4, 12],  # row 8
    ]
    personnel = [
        ["51.71.01", "", 10, 0],  # row 3
        ["51.05.09", "", 10, 0],  # row 4
        ["51.05.01", "Polsek Dawan", 10, 0],  # row 5
        ["51.05.02", "", "-5", 0],  # row 6
        ["", "Polsek Banjarangkan", 20, 0],  # row 7
        ["", "", 20, 0],  # row 8
        ["51.05.03", "", 20, "sepuluh"],  # row 9
    ]
    errors = load_refused(tmp_path, formation_file(formation, personnel))
    expected = [
        "Baris 4, kolom 'kelas': Kelas 'Sedang' tidak dikenal. Isi salah satu: kurang rawan, rawan, sangat rawan, khusus. (lembar 'Formasi')",
        "Baris 5, kolom 'polisi_per_pos': Jumlah polisi per pos 'dua' bukan bilangan bulat. Isi dengan angka tanpa titik, koma atau satuan, mis. 2. (lembar 'Formasi')",
        "Baris 6, kolom 'kelas': Kelas rawan muncul dua kali (juga di baris 5). Sisakan satu baris per kelas. (lembar 'Formasi')",
        "Baris 6, kolom 'tps_per_pos': Jumlah TPS per pos 0 di luar batas 1–50. Periksa apakah ada angka yang salah ketik. (lembar 'Formasi')",
        "kolom 'kelas': Kelas khusus tidak ada di tabel formasi. Tambahkan satu baris untuk kelas ini (tidak ada angka resmi untuk kelas khusus: "
        "banyak Polres memakai angka sangat rawan). (lembar 'Formasi')",
        "Baris 3, kolom 'kode_kecamatan': Kecamatan 51.71.01 tidak dikenal atau di luar wilayah Polres Klungkung. Periksa kodenya. (lembar 'Personel')",
        "Baris 4, kolom 'kode_kecamatan': Kecamatan Kecamatan Uji (51.05.09) belum punya Polsek di Sinergi. Minta administrator mendaftarkan "
        "Polsek-nya, atau hapus baris ini. (lembar 'Personel')",
        "Baris 5, kolom 'polsek': Polsek 'Polsek Dawan' bukan Polsek kecamatan Nusa Penida (51.05.01), yaitu Polsek Nusa Penida. Perbaiki salah "
        "satu kolom, atau kosongkan kolom polsek. (lembar 'Personel')",
        "Baris 6, kolom 'personel_tersedia': Jumlah personel tersedia '-5' bukan bilangan bulat. Isi dengan angka tanpa titik, koma atau satuan, "
        "mis. 120. (lembar 'Personel')",
        "Baris 7, kolom 'polsek': Polsek Banjarangkan muncul dua kali (juga di baris 6). Sisakan satu baris per Polsek. (lembar 'Personel')",
        "Baris 8, kolom 'kode_kecamatan': Polsek tidak disebut. Isi kode_kecamatan (mis. 51.05.01) atau nama Polsek pada kolom polsek. (lembar 'Personel')",
        "Baris 9, kolom 'bko': Jumlah BKO 'sepuluh' bukan bilangan bulat. Isi dengan angka tanpa titik, koma atau satuan, mis. 20. (lembar 'Personel')",
    ]
    assert errors == expected
    assert (rules_of(), personnel_of(), AuditEvent.objects.count()) == (formation_before, personnel_before, events)


@pytest.mark.django_db
def test_a_file_with_neither_table_or_a_missing_column_is_refused(tmp_path):
    path = tmp_path / "lain.csv"
    path.write_text("nama,alamat\nA,B\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_formation", "--election", "pemilu-2024", str(path), stdout=io.StringIO(), stderr=err)
    assert "Berkas tidak memuat tabel formasi" in err.getvalue()
    path.write_text("kelas,polisi_per_pos,tps_per_pos\nrawan,2,2\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_formation", "--election", "pemilu-2024", str(path), stdout=io.StringIO(), stderr=err)
    assert "Baris 1, kolom 'linmas_per_pos': Kolom wajib 'linmas_per_pos' tidak ada." in err.getvalue()


@pytest.mark.django_db(transaction=True)
def test_one_bad_personnel_row_keeps_the_good_formation_out_too(committed, tmp_path):
    """All or nothing, on a database where each service commits its own transaction."""
    before, personnel = rules_of(), personnel_of()
    errors = load_refused(tmp_path, formation_file(ONE_TPS_PER_POST, [["51.05.01", "", 300, 0], ["51.05.02", "", "banyak", 0]]))
    assert len(errors) == 1 and errors[0].startswith("Baris 4, kolom 'personel_tersedia'")
    assert rules_of() == before != {level: (3, 1, 2) for level in LEVELS}
    assert personnel_of() == personnel


@pytest.mark.django_db(transaction=True)
def test_the_polres_previews_then_confirms_the_upload_on_the_page(committed, client_of):
    client = client_of(personas.POLRES)
    page = client.get("/pemilihan/pemilu-2024/pengamanan/")
    assert IMPORT in page.text
    before, events = rules_of(), AuditEvent.objects.count()
    upload = io.BytesIO(formation_file(ONE_TPS_PER_POST, [["51.05.01", "", 600, 0]]))
    upload.name = "formasi.xlsx"
    preview = client.post(IMPORT, {"file": upload})
    assert preview.status_code == 200 and 'data-testid="confirm"' in preview.text
    assert preview.context["preview"].changed == 2 and "Belum ada yang disimpan." in preview.text
    assert rules_of() == before and AuditEvent.objects.count() == events  # nothing written yet
    done = client.post(IMPORT, {"berkas": preview.context["token"], "confirm": "1"})
    assert done.status_code == 302 and done["Location"] == "/pemilihan/pemilu-2024/pengamanan/"
    assert rules_of() == {level: (3, 1, 2) for level in LEVELS} and personnel_of()["polsek-nusa-penida"] == (600, 0)
    assert set(AuditEvent.objects.filter(pk__gt=0).order_by("-pk").values_list("actor_username", flat=True)[:2]) == {personas.POLRES}
    # The plan page shows the new shortage: 198 TPS x 3 police against 600.
    totals = {t.kecamatan_code: t for t in client.get("/pemilihan/pemilu-2024/pengamanan/").context["guard"].plan.kecamatans}
    assert (totals["51.05.01"].police, totals["51.05.01"].shortage) == (594, 0)


@pytest.mark.django_db
def test_a_bad_upload_shows_every_error_and_keeps_nothing(client_of):
    upload = io.BytesIO(formation_file([["Rawan", 2, 2, 4]], None))
    upload.name = "formasi.xlsx"
    response = client_of(personas.POLRES).post(IMPORT, {"file": upload})
    assert response.status_code == 400 and 'data-testid="import-errors"' in response.text
    assert "Kelas kurang rawan tidak ada di tabel formasi" in response.text
    assert response.context["token"] == "" and 'data-testid="confirm"' not in response.text
    assert rules_of()["rawan"] == FORMATIONS["polres-klungkung-pemilu-2024"]["rules"]["rawan"]


@pytest.mark.django_db
def test_only_the_polres_imports_or_downloads_the_formation(client_of):
    upload = formation_file(ONE_TPS_PER_POST, None)
    for username in (personas.BAWASLU, personas.KPU, personas.POLSEK_NUSA_PENIDA, personas.JAKSA):
        client = client_of(username)
        assert client.get(IMPORT).status_code == 403
        assert client.get(DOWNLOAD).status_code == 403
        file = io.BytesIO(upload)
        file.name = "formasi.xlsx"
        assert client.post(IMPORT, {"file": file}).status_code == 403
        assert 'data-testid="formation-import"' not in client.get("/pemilihan/pemilu-2024/pengamanan/").text


@pytest.fixture
def denpasar_officer(db, pemilu):
    """An officer of another Polres (Polresta Denpasar) with a kecamatan and its Polsek."""
    Region.objects.create(code="51.71", name="Denpasar", kind=Region.Kind.KOTA, parent_id="51", level=2)
    Region.objects.create(code="51.71.01", name="Denpasar Selatan", kind=Region.Kind.KECAMATAN, parent_id="51.71", level=3)
    polresta = Agency.objects.create(slug="polresta-denpasar", name="Polresta Denpasar", kind=Agency.Kind.POLRES, region_id="51.71")
    Agency.objects.create(slug="polsek-denpasar-selatan", name="Polsek Denpasar Selatan", kind=Agency.Kind.POLSEK, region_id="51.71.01")
    return ensure_user(actor=None, username="polresta", agency=polresta, role=User.Role.STAFF, full_name="Bag Ops Polresta", password="x" * 12)


@pytest.mark.django_db
def test_another_polres_cannot_touch_klungkung(denpasar_officer, client):
    client.force_login(denpasar_officer)
    personnel = personnel_of()
    upload = io.BytesIO(formation_file(None, [["51.05.01", "", 999, 0], ["", "Polsek Dawan", 999, 0]]))
    upload.name = "formasi.xlsx"
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 400
    assert "Kecamatan 51.05.01 tidak dikenal atau di luar wilayah Polresta Denpasar." in response.text
    assert "Polsek &#x27;Polsek Dawan&#x27; tidak dikenal di wilayah Polresta Denpasar. Tulis salah satu: Polsek Denpasar Selatan." in response.text
    assert personnel_of() == personnel
    # Its download holds its own Polsek only, and its own (empty) formation.
    rows = read_table("f.xlsx", client.get(DOWNLOAD).content, required=["personel_tersedia"], known=["kode_kecamatan", "polsek", "bko"]).rows
    assert [values["kode_kecamatan"] for _, values in rows] == ["51.71.01"] and rows[0][1]["personel_tersedia"] == ""


@pytest.mark.django_db
def test_the_template_starts_from_a_preset_and_the_export_imports_back_unchanged(client_of, tmp_path):
    client = client_of(personas.POLRES)
    response = client.get(DOWNLOAD + "?preset=nasional-2019")
    assert response.status_code == 200 and "nasional-2019" in response["Content-Disposition"]
    table = read_table("t.xlsx", response.content, required=["kelas", "polisi_per_pos", "tps_per_pos", "linmas_per_pos"])
    assert table.sheet == "Formasi" and table.header_row == 2
    preset = FORMATIONS["nasional-2019"]["rules"]
    assert [(v["kelas"], int(v["polisi_per_pos"]), int(v["tps_per_pos"]), int(v["linmas_per_pos"])) for _, v in table.rows] == [
        ("Kurang rawan", *preset["kurang_rawan"]),
        ("Rawan", *preset["rawan"]),
        ("Sangat rawan", *preset["sangat_rawan"]),
        ("Khusus", *preset["khusus"]),
    ]
    assert client.get(DOWNLOAD + "?preset=tidak-ada").status_code == 404
    # The current formation and personnel, exported and loaded back, change nothing.
    events = AuditEvent.objects.count()
    out, _ = load(tmp_path, client.get(DOWNLOAD).content)
    assert "Formasi: tidak berubah. Personel: 0 Polsek baru, 0 diubah, 4 tidak berubah. Tidak ada perubahan." in out
    assert AuditEvent.objects.count() == events
    assert load_workbook(io.BytesIO(client.get(DOWNLOAD).content)).sheetnames == ["Formasi", "Personel", "Petunjuk"]


@pytest.mark.django_db
def test_a_second_district_without_a_formation_is_an_error_naming_its_kecamatan(denpasar_officer, pemilu, client, tmp_path):
    from sinergi.stations.models import Station

    Region.objects.create(code="51.71.01.1001", name="Sesetan", kind=Region.Kind.KELURAHAN, parent_id="51.71.01", level=4)
    Station.objects.create(election=pemilu, village_id="51.71.01.1001", number=1, voters=250)
    Station.objects.create(election=pemilu, village_id="51.71.01.1001", number=2, voters=250)
    err = io.StringIO()
    with pytest.raises(CommandError, match="Rencana tidak dibuat"):
        call_command("guard_plan", "--election", "pemilu-2024", stdout=io.StringIO(), stderr=err)
    assert (
        "Kesalahan — Kecamatan Denpasar Selatan (51.71.01): 2 TPS tanpa formasi pengamanan — Polresta Denpasar belum menetapkan formasi "
        "untuk pemilihan ini." in err.getvalue()
    )
    out = io.StringIO()
    with redirect_stdout(out):
        call_command("guard_plan", "--election", "pemilu-2024", "--district", "51.05", stderr=io.StringIO())
    assert len(out.getvalue().splitlines()) == 650  # Klungkung alone is complete
    client.force_login(denpasar_officer)
    page = client.get("/pemilihan/pemilu-2024/pengamanan/")
    assert 'data-testid="guard-gaps"' in page.text and "Kecamatan Denpasar Selatan (51.71.01): 2 TPS tanpa formasi pengamanan" in page.text
    # Once Polresta Denpasar loads a formation the gap is gone; a kecamatan with TPS and no Polsek is one.
    client.force_login(denpasar_officer)
    upload = io.BytesIO(formation_file(ONE_TPS_PER_POST, None))
    upload.name = "formasi.xlsx"
    token = client.post(IMPORT, {"file": upload}).context["token"]
    assert client.post(IMPORT, {"berkas": token, "confirm": "1"}).status_code == 302
    Agency.objects.filter(slug="polsek-denpasar-selatan").delete()
    guard = plan_for(denpasar_officer, pemilu)
    assert [(g.kecamatan_code, g.reason) for g in guard.gaps] == [("51.71.01", "polsek")]
    assert "Kecamatan Denpasar Selatan (51.71.01): 2 TPS tanpa Polsek" in client.get("/pemilihan/pemilu-2024/pengamanan/").text


@pytest.mark.django_db
def test_an_election_without_any_formation_fails_the_plan_command_and_shows_the_error(client_of, pilkada):
    assert not Formation.objects.filter(election=pilkada).exists()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("guard_plan", "--election", "pilkada-2024", stdout=io.StringIO(), stderr=err)
    lines = [line for line in err.getvalue().splitlines() if line.startswith("Kesalahan")]
    kecamatan = dict(Region.objects.filter(code__startswith="51.05.", level=3).values_list("code", "name"))
    assert len(lines) == len(kecamatan) == 4
    assert all(f"Kecamatan {name} ({code}):" in err.getvalue() for code, name in kecamatan.items())
    page = client_of(personas.POLRES).get("/pemilihan/pilkada-2024/pengamanan/")
    assert page.status_code == 200 and 'data-testid="guard-gaps"' in page.text
    assert "Polres Klungkung belum menetapkan formasi untuk pemilihan ini" in page.text
    # The printed plan says so too, instead of coming out empty.
    from pypdf import PdfReader

    pdf = client_of(personas.POLRES).get("/pemilihan/pilkada-2024/pengamanan/rencana.pdf")
    text = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split())
    from sinergi.stations.models import Station

    n = Station.objects.filter(election=pilkada, village__code__startswith="51.05.01.").count()
    assert "Rencana belum lengkap" in text and f"Kecamatan Nusa Penida (51.05.01): {n} TPS tanpa formasi pengamanan" in text


@pytest.mark.django_db
def test_the_class_names_a_file_may_use():
    from sinergi.guard.formation_file import level_of

    assert [level_of(t) for t in ("Kurang rawan", "KURANG-RAWAN", "kurang_rawan", "aman", " Sangat  rawan ", "sedang")] == [
        "kurang_rawan", "kurang_rawan", "kurang_rawan", "kurang_rawan", "sangat_rawan", None,
    ]  # fmt: skip
    assert set(StationClass.Level.values) == set(LEVELS)

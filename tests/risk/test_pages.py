"""Vulnerability and guard pages through their URLs, scoped by agency."""

import io

import pytest

from sinergi.accounts.models import User
from sinergi.risk.models import ChecklistAnswer, IntelNote, StationClass
from sinergi.stations.models import Station
from tests import personas


@pytest.fixture
def ped17(pemilu):
    return Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)


def url(station, suffix="rawan/"):
    return f"/pemilihan/pemilu-2024/tps/{station.pk}/{suffix}"


@pytest.mark.django_db
def test_the_checklist_page_shows_class_reasons_and_hides_intel_from_bawaslu(client_of, ped17):
    IntelNote.objects.create(station=ped17, text="Rencana penghadangan di bale banjar", author=User.objects.get(username=personas.POLRES))
    bawaslu = client_of(personas.BAWASLU).get(url(ped17))
    assert bawaslu.status_code == 200
    assert "Sangat rawan" in bawaslu.text and "Indikator berat ada: 2.2." in bawaslu.text
    assert "Rencana penghadangan" not in bawaslu.text and 'data-testid="intel-notes"' not in bawaslu.text
    assert f'action="/pemilihan/pemilu-2024/tps/{ped17.pk}/kelas/"' not in bawaslu.text
    police = client_of(personas.POLSEK_NUSA_PENIDA).get(url(ped17))
    assert "Rencana penghadangan" in police.text and "Tetapkan kelas" in police.text


@pytest.mark.django_db
def test_a_closed_stage_refuses_the_ptps_and_bawaslu_amends_with_a_reason(client_of, ped17, ptps):
    code = "6.1"
    data = {f"present_{code}": "on", f"note_{code}": "Posko"}
    assert client_of(personas.PTPS_PED).post(url(ped17), data).status_code == 403  # the stage closed in Feb 2024
    refused = client_of(personas.BAWASLU_STAFF).post(url(ped17), data)
    assert refused.status_code == 400 and "isi alasan perubahan" in refused.text
    assert not ChecklistAnswer.objects.filter(station=ped17, indicator__code=code, present=True).exists()
    saved = client_of(personas.BAWASLU_STAFF).post(url(ped17), {**data, "reason": "Laporan PKD 10 Feb"}, follow=True)
    assert "Daftar periksa disimpan" in saved.text
    assert f"Diisi oleh {personas.BAWASLU_STAFF}" in saved.text
    assert ChecklistAnswer.objects.get(station=ped17, indicator__code=code).note == "Posko"


@pytest.mark.django_db
def test_the_police_override_a_class_through_the_page(client_of, ped17):
    client = client_of(personas.POLRES)
    client.post(url(ped17, "kelas/"), {"level": "rawan"})
    assert StationClass.objects.get(station=ped17).level == "sangat_rawan"  # refused: no reason
    client.post(url(ped17, "kelas/"), {"level": "rawan", "reason": "Mediasi adat berhasil"})
    assert StationClass.objects.get(station=ped17).level == "rawan"
    assert client_of(personas.BAWASLU).post(url(ped17, "kelas/"), {"level": "khusus", "reason": "x"}).status_code == 403
    assert client_of(personas.BAWASLU).post(url(ped17, "intel/"), {"text": "x"}).status_code == 403


@pytest.mark.django_db
def test_release_page_and_downloads(client_of):
    client = client_of(personas.POLSEK_NUSA_PENIDA)
    page = client.get("/pemilihan/pemilu-2024/rawan/")
    assert page.status_code == 200 and "198 TPS dipetakan" in page.text
    assert page.context["result"].stations == 198
    xlsx = client.get("/pemilihan/pemilu-2024/rawan/rilis.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    csv_text = client.get("/pemilihan/pemilu-2024/rawan/rilis.csv").getvalue().decode()
    assert "51.05.02" not in csv_text  # another kecamatan's counts never reach the Polsek


@pytest.mark.django_db
def test_the_upload_page_reports_row_errors(client_of):
    upload = io.BytesIO(b"kode_desa,nomor_tps,6.1,alasan\n51.05.01.2010,1,mungkin,Perbaikan data\n")
    upload.name = "rawan.csv"
    response = client_of(personas.BAWASLU).post("/pemilihan/pemilu-2024/rawan/unggah/", {"file": upload})
    assert response.status_code == 400
    assert "Baris 2, kolom &#x27;6.1&#x27;: Nilai &#x27;mungkin&#x27; tidak dikenal" in response.text
    assert client_of(personas.KPU).get("/pemilihan/pemilu-2024/rawan/unggah/").status_code == 403


@pytest.mark.django_db
def test_map_layers_are_scoped(client_of, ped17):
    risk = client_of(personas.POLSEK_NUSA_PENIDA).get("/pemilihan/pemilu-2024/rawan/peta.json").json()
    assert len(risk) == 198 and risk[str(ped17.pk)] == {"variables": 3, "level": "sangat_rawan"}
    posts = client_of(personas.POLRES).get("/pemilihan/pemilu-2024/pengamanan/peta.json").json()
    assert len(posts) == 649 and posts[str(ped17.pk)]["level"] == "sangat_rawan"
    assert client_of(personas.KPU).get("/pemilihan/pemilu-2024/pengamanan/peta.json").status_code == 403


@pytest.mark.django_db
def test_guard_plan_page_shows_the_shortage_and_the_polres_enters_personnel(client_of):
    page = client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/pengamanan/")
    assert page.status_code == 200 and 'class="num shortage"' in page.text
    assert "Personel per Polsek" not in page.text  # Bawaslu reads, the Polres writes
    polres = client_of(personas.POLRES)
    polres.post("/pemilihan/pemilu-2024/pengamanan/", {"polsek": "polsek-nusa-penida", "available": "500", "reinforcements": "0", "save_personnel": "1"})
    totals = {t.kecamatan_code: t for t in polres.get("/pemilihan/pemilu-2024/pengamanan/").context["guard"].plan.kecamatans}
    assert totals["51.05.01"].shortage == 0
    assert client_of(personas.KPU).get("/pemilihan/pemilu-2024/pengamanan/").status_code == 403


@pytest.mark.django_db
def test_an_evidence_photo_is_stored_and_served_only_within_the_area(client_of, ped17, ptps, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    photo = SimpleUploadedFile("bukti.jpg", buffer.getvalue(), content_type="image/jpeg")
    data = {"present_2.2": "on", "evidence_code": "2.2", "evidence": photo, "reason": "Foto dari PKD"}
    response = client_of(personas.BAWASLU_STAFF).post(url(ped17), data, follow=True)
    assert "Daftar periksa disimpan" in response.text and "Lihat foto bukti" in response.text
    photo_url = url(ped17, "rawan/bukti/2.2/")
    assert client_of(personas.POLSEK_NUSA_PENIDA).get(photo_url).status_code == 200
    assert client_of(personas.PTPS_PED).get(photo_url).status_code == 200
    outsider = User.objects.get(username=personas.POLRES)
    outsider.area_id = "51.05.03"
    outsider.save()
    assert client_of(personas.POLRES).get(photo_url).status_code == 404
    not_an_image = SimpleUploadedFile("bukti.jpg", b"not an image", content_type="image/jpeg")
    refused = client_of(personas.BAWASLU_STAFF).post(url(ped17), {**data, "evidence": not_an_image})
    assert refused.status_code == 400


@pytest.mark.django_db
def test_the_polres_changes_its_formation_and_the_plan_follows(client_of):
    from sinergi.guard.models import FormationRule

    polres = client_of(personas.POLRES)
    numbers = {f"{level}_{part}": value for level in ("kurang_rawan", "rawan", "sangat_rawan", "khusus") for part, value in (("police", 2), ("stations", 6), ("linmas", 3))}
    polres.post("/pemilihan/pemilu-2024/pengamanan/", {**numbers, "preset": "", "save_formation": "1"})
    def rule():
        found = FormationRule.objects.get(formation__agency__slug="polres-klungkung", formation__election__slug="pemilu-2024", level="kurang_rawan")
        return found.police, found.stations, found.linmas

    assert rule() == (2, 6, 3)
    plan = polres.get("/pemilihan/pemilu-2024/pengamanan/").context["guard"].plan
    assert max(len(p.station_ids) for p in plan.posts) == 6
    polres.post("/pemilihan/pemilu-2024/pengamanan/", {**numbers, "preset": "nasional-2019", "save_formation": "1"})
    assert rule() == (2, 4, 6)
    assert client_of(personas.POLSEK_NUSA_PENIDA).post("/pemilihan/pemilu-2024/pengamanan/", {**numbers, "save_formation": "1"}).status_code == 200
    assert rule() == (2, 4, 6)  # a Polsek reads the plan but cannot change the formation


@pytest.mark.django_db
def test_pages_keep_a_query_budget(client_of, ped17):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_of(personas.POLRES)
    pages = {
        url(ped17): 16,
        "/pemilihan/pemilu-2024/rawan/": 15,
        "/pemilihan/pemilu-2024/rawan/kelas/": 16,  # the header, 100 TPS a page, and the area's TPS whose suggestion changed
        "/pemilihan/pemilu-2024/rawan/aturan/": 8,
        "/pemilihan/pemilu-2024/rawan/peta.json": 10,
        "/pemilihan/pemilu-2024/pengamanan/": 22,  # with the Polsek coverage (accounts.PolsekCoverage) and the header
    }
    for path, budget in pages.items():
        client.get(path)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        assert len(queries) <= budget, (path, len(queries))

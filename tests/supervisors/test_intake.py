"""Voting-day intake beyond a single report: photos sent after their report, batches with
repeats inside them, and the chaining of reports into the audit trail after they are stored."""

import hashlib
import io
import json
import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client, override_settings
from PIL import Image

from sinergi.audit.models import AuditEvent
from sinergi.audit.queries import verify_chain
from sinergi.supervisors.models import Attachment, Report
from tests import personas
from tests.api.test_api import token_for
from tests.supervisors.test_reports import opening, post


def photo_bytes(fmt: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def upload(token, data: dict, content: bytes, name: str = "c-hasil.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return Client().post("/api/v1/reports/attachments", {**data, "file": SimpleUploadedFile(name, content)}, headers={"Authorization": f"Bearer {token}"})


def counting(station, client_id=None):
    return {**opening(station, client_id), "stage": "penghitungan", "answers": {"penghitungan_terbuka": True, "keberatan_saksi": False}}


@pytest.mark.django_db
def test_a_c_hasil_photo_is_stored_once_after_its_report_and_checked(ptps, ped17):
    token = token_for(personas.PTPS_PED)
    report = counting(ped17)
    content = photo_bytes()
    photo = {"client_id": str(uuid.uuid4()), "report_id": report["client_id"], "code": "foto_c_hasil"}
    early = upload(token, photo, content)
    assert early.status_code == 404 and "kirim laporannya lebih dulu" in early.json()["detail"]
    assert post(token, report).status_code == 201
    answers = [upload(token, photo, content) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    stored = Attachment.objects.get(client_id=photo["client_id"])
    assert stored.report.client_id == uuid.UUID(report["client_id"]) and stored.code == "foto_c_hasil" and stored.content_type == "image/jpeg"
    assert stored.sha256 == hashlib.sha256(content).hexdigest() == answers[0].json()["sha256"]
    with default_storage.open(stored.file.name) as handle:
        assert handle.read() == content
    assert AuditEvent.objects.filter(action="attachment.add", object_id=str(stored.report_id)).count() == 1
    # A file that is not a photo, and a code that is no photo question of the stage, store nothing.
    bad = upload(token, {**photo, "client_id": str(uuid.uuid4())}, b"%PDF-1.4 not a photo", "x.jpg")
    assert bad.status_code == 400
    wrong = upload(token, {**photo, "client_id": str(uuid.uuid4()), "code": "kotak_tersegel"}, content)
    assert wrong.status_code == 400 and "bukan pertanyaan foto" in " ".join(wrong.json()["detail"])
    assert Attachment.objects.filter(report=stored.report).count() == 1


@pytest.mark.django_db
def test_a_ptps_cannot_attach_to_another_tps_report(ptps, ped17, pemilu, user_of):
    from sinergi.stations.models import Station
    from sinergi.supervisors.reports import submit_report

    ped1 = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=1)
    theirs, _ = submit_report(actor=None, station=ped1, stage="persiapan", client_id=uuid.uuid4(), answers=opening(ped1)["answers"], narrative="", observed_at="2024-02-14T07:00+08:00")
    refused = upload(token_for(personas.PTPS_PED), {"client_id": str(uuid.uuid4()), "report_id": str(theirs.client_id)}, photo_bytes("PNG"), "x.png")
    assert refused.status_code == 403
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_batch_with_a_repeat_inside_it_stores_each_report_once(ptps, ped17):
    token = token_for(personas.PTPS_PED)
    first, second = opening(ped17), counting(ped17)
    clash = {**counting(ped17), "client_id": first["client_id"]}  # the first report's id, another stage
    answer = Client().post(
        "/api/v1/reports/batch", json.dumps({"reports": [first, second, first, clash]}), content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert [item["status"] for item in answer] == [201, 201, 200, 409]
    assert answer[0]["number"] == answer[2]["number"]
    assert Report.objects.filter(client_id__in=[first["client_id"], second["client_id"]]).count() == 2


@pytest.mark.django_db
def test_reports_are_chained_into_the_audit_trail_in_batches(ptps, ped17, capsys):
    token = token_for(personas.PTPS_PED)
    with override_settings(AUDIT_SEAL_INTERVAL=3600):
        from sinergi.supervisors import sealing

        sealing._last["at"] = float("-inf")  # as if this process never sealed
        assert post(token, opening(ped17)).status_code == 201  # sealed at once: the process had not sealed for an hour
        pending = [opening(ped17) for _ in range(3)]
        for payload in pending:
            assert post(token, payload).status_code == 201
    waiting = Report.objects.filter(audited=False)
    assert waiting.count() == 3  # within the interval: stored and answered, not yet chained
    call_command("seal_intake")
    out = capsys.readouterr().out
    assert "Menunggu: 3, yang tertua diterima" in out and "3 laporan/kejadian dirantai" in out
    assert not Report.objects.filter(audited=False).exists()
    for payload in pending:
        report = Report.objects.get(client_id=payload["client_id"])
        event = AuditEvent.objects.get(action="report.file", object_id=str(report.pk))
        assert event.actor_username == personas.PTPS_PED and event.at == report.received_at and event.object_repr == report.number
    assert verify_chain() is None


@pytest.mark.django_db
def test_the_printable_form_a_carries_the_report_its_incidents_and_the_c_hasil_photo(ptps, ped17, client_of):
    from pypdf import PdfReader

    token = token_for(personas.PTPS_PED)
    report = counting(ped17)
    assert post(token, report).status_code == 201
    assert upload(token, {"client_id": str(uuid.uuid4()), "report_id": report["client_id"], "code": "foto_c_hasil"}, photo_bytes()).status_code == 201
    stored = Report.objects.get(client_id=report["client_id"])
    url = f"/pemilihan/pemilu-2024/laporan/{stored.pk}/form-a.pdf"
    response = client_of(personas.BAWASLU).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    for expected in ("FORMULIR MODEL A", "LAPORAN HASIL PENGAWASAN PEMILU", stored.number, "Penghitungan suara", "Pengawas TPS nomor 17", "Salinan C.Hasil"):
        assert expected in text, expected
    # The demo's Ped adat incident of that day is in section IV (the report is dated 14 Feb 2024).
    assert "Intimidasi atau kekerasan" in text
    assert any("/XObject" in page["/Resources"] for page in pdf.pages)  # the photo is embedded
    assert client_of(personas.POLRES).get(url).status_code == 403


@pytest.mark.django_db
def test_bawaslu_configures_a_stage_checklist_and_reports_follow_it(ptps, ped17, client_of):
    from sinergi.supervisors.models import Question

    client = client_of(personas.BAWASLU)
    url = "/pemilihan/pemilu-2024/pengawasan/daftar-periksa/"
    page = client.get(url)
    assert page.status_code == 200 and "Kotak suara dalam keadaan tersegel" in page.text
    new = {"stage": "persiapan", "code": "bilik_ramah_disabilitas", "text": "Bilik suara dapat dijangkau pemilih disabilitas", "kind": "ya_tidak", "required": "on", "order": "5"}
    bad = client.post(url, {**new, "code": "Bilik Ramah"})
    assert bad.status_code == 400 and "Huruf kecil, angka dan garis bawah" in bad.text
    assert not Question.objects.filter(code="bilik_ramah_disabilitas").exists()
    assert "Pertanyaan bilik_ramah_disabilitas disimpan" in client.post(url, new, follow=True).text
    assert AuditEvent.objects.filter(action="checklist.question", object_repr="persiapan/bilik_ramah_disabilitas").count() == 1
    # Reports now need the answer; with it they are stored.
    token = token_for(personas.PTPS_PED)
    refused = post(token, opening(ped17))
    assert refused.status_code == 400 and "Bilik suara dapat dijangkau pemilih disabilitas' wajib dijawab" in " ".join(refused.json()["detail"])
    assert post(token, opening(ped17, bilik_ramah_disabilitas=True)).status_code == 201
    # The kind of an existing question cannot change; the wording can.
    kind = client.post(url, {**new, "kind": "angka"})
    assert kind.status_code == 400 and "tidak dapat diubah" in kind.text
    client.post(url, {**new, "text": "Bilik suara ramah disabilitas", "required": ""})
    changed = Question.objects.get(code="bilik_ramah_disabilitas")
    assert (changed.text, changed.required) == ("Bilik suara ramah disabilitas", False)
    # A kecamatan's Panwascam may read the checklist but not change what holds for the whole district.
    panwascam = client_of(personas.PANWASCAM_NUSA_PENIDA)
    assert panwascam.get(url).status_code == 200
    assert panwascam.post(url, {**new, "code": "lain"}).status_code == 403


@pytest.mark.django_db
def test_the_report_number_carries_the_local_month_of_the_observation(ptps, ped17):
    token = token_for(personas.PTPS_PED)
    early = {**opening(ped17), "observed_at": "2024-03-01T07:00:00+08:00"}  # still 29 February in UTC
    answered = post(token, early).json()["number"]
    assert answered.endswith("/51.05/03/2024")
    assert Report.objects.select_related("station", "election").get(client_id=early["client_id"]).number == answered
    assert post(token, early).json()["number"] == answered


@pytest.mark.django_db
def test_a_batch_filed_one_by_one_after_a_race_answers_each_item(ptps, ped17, pemilu):
    from sinergi.stations.models import Station
    from sinergi.supervisors.reports import ReportItem, _file_one_by_one, posts_of, submit_report

    first = opening(ped17)
    submit_report(actor=ptps, station=ped17, stage="persiapan", client_id=uuid.UUID(first["client_id"]), answers=first["answers"], narrative="", observed_at="2024-02-14T07:00+08:00")
    clash = counting(ped17, first["client_id"])  # the same id, another stage: what the racing copy might carry
    fresh = counting(ped17)
    ped1 = Station.objects.select_related("election").get(election=pemilu, village_id="51.05.01.2010", number=1)
    foreign = opening(ped1)

    def item(payload):
        return ReportItem(uuid.UUID(payload["client_id"]), payload["station_id"], payload["stage"], payload["answers"], payload["narrative"], payload["observed_at"])

    results = [None] * 3
    posted = posts_of(ptps, {ped17.pk, ped1.pk})
    assert posted == {ped17.pk}
    _file_one_by_one(ptps, [(0, item(clash), ped17), (1, item(fresh), ped17), (2, item(foreign), ped1)], posted, "api", results)
    assert [r.status for r in results] == [409, 201, 403]
    assert Report.objects.filter(client_id=fresh["client_id"]).exists() and not Report.objects.filter(client_id=foreign["client_id"]).exists()


@pytest.mark.django_db
def test_a_photo_id_reused_for_another_photo_is_a_conflict(ptps, ped17):
    token = token_for(personas.PTPS_PED)
    report = counting(ped17)
    assert post(token, report).status_code == 201
    photo = {"client_id": str(uuid.uuid4()), "report_id": report["client_id"], "code": "foto_c_hasil"}
    assert upload(token, photo, photo_bytes("JPEG")).status_code == 201
    other = upload(token, photo, photo_bytes("PNG"), "lain.png")
    assert other.status_code == 409 and "sudah dipakai untuk foto lain" in other.json()["detail"]
    assert Attachment.objects.filter(client_id=photo["client_id"]).count() == 1


@pytest.mark.django_db
def test_form_a_says_no_photo_is_attached_when_none_was_sent(ptps, ped17, client_of):
    from pypdf import PdfReader

    token = token_for(personas.PTPS_PED)
    report = counting(ped17)
    assert post(token, report).status_code == 201
    stored = Report.objects.get(client_id=report["client_id"])
    url = f"/pemilihan/pemilu-2024/laporan/{stored.pk}/form-a.pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(client_of(personas.BAWASLU).get(url).content)).pages).split())
    assert "Foto C.Hasil (salinan pengawas) tidak ada foto terlampir" in text and "lihat lampiran foto" not in text
    assert "BADAN PENGAWAS PEMILIHAN UMUM KABUPATEN KLUNGKUNG" in text
    # Once the photo has come, the answer points at it.
    assert upload(token, {"client_id": str(uuid.uuid4()), "report_id": report["client_id"], "code": "foto_c_hasil"}, photo_bytes()).status_code == 201
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(client_of(personas.BAWASLU).get(url).content)).pages).split())
    assert "Foto C.Hasil (salinan pengawas) lihat lampiran foto" in text

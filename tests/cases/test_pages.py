"""The public report page (no login), its tracking page, and the staff's case pages and documents."""

import io
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from sinergi.cases import workflow
from sinergi.cases.models import Case, Evidence
from sinergi.cases.services import file_public_report, take_step
from tests import personas
from tests.cases.test_cases import PED, facts


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(200, 200)
    writer.write(buffer)
    return buffer.getvalue()


# Real files: evidence is decoded before it is stored (core/uploads.py).
PNG = _png()
PDF = _pdf()



def form_data(**changes):
    return {
        "source": "pemilih",
        "reporter_name": "Made Contoh",
        "reporter_address": "Banjar Contoh, Desa Ped",
        "reporter_phone": "081234567890",
        "reporter_email": "",
        "reported_party": "Oknum tim kampanye (contoh)",
        "occurred_on": "2024-02-11",
        "known_on": "2024-02-11",
        "occurred_place": "Banjar Contoh, Desa Ped",
        "region": PED,
        "description": "Pembagian uang kepada warga pada masa tenang (contoh).",
        "witness1_name": "Saksi Satu",
        "witness1_address": "Desa Ped",
        **changes,
    }


@pytest.mark.django_db
def test_the_public_files_a_report_without_login_and_follows_it_by_its_code(pemilu, on):
    on(datetime(2024, 2, 12, 2, 0, tzinfo=UTC))
    client = Client()
    page = client.get(reverse("cases:public_report", args=[pemilu.slug]))
    assert page.status_code == 200 and "Ped (Nusa Penida)" in page.content.decode()
    data = form_data(evidence=[SimpleUploadedFile("foto.png", PNG, "image/png"), SimpleUploadedFile("surat.pdf", PDF, "application/pdf")])
    response = client.post(reverse("cases:public_report", args=[pemilu.slug]), data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:public_status", args=[case.tracking_code])
    assert case.witnesses == [{"nama": "Saksi Satu", "alamat": "Desa Ped"}] and case.checklist["bukti"]
    assert sorted(Evidence.objects.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]
    status = client.get(response["Location"]).content.decode()
    assert case.tracking_code in status and "Laporan Anda sudah diterima" in status and "Diterima" in status
    # Looked up again later by its code, typed in lower case with spaces.
    lookup = client.get(reverse("cases:public_track"), {"kode": "", "code": f" {case.tracking_code.lower()} "})
    assert lookup.status_code == 302 and lookup["Location"].endswith(f"/{case.tracking_code}/")
    assert client.get(reverse("cases:public_status", args=["LP-2222-2222"])).status_code == 404
    receipt = client.get(reverse("cases:public_receipt", args=[case.tracking_code]))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(receipt.content)).pages)
    assert "TANDA BUKTI PENYAMPAIAN LAPORAN" in text.upper() and case.tracking_code in text and "Made Contoh" not in text
    assert "hari terakhir" in text


@pytest.mark.django_db
def test_a_bad_public_report_names_each_field_and_stores_nothing(pemilu, on):
    on(datetime(2024, 2, 12, 2, 0, tzinfo=UTC))
    data = form_data(reporter_name="", known_on="2024-02-10", evidence=[SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "application/octet-stream")])
    page = Client().post(reverse("cases:public_report", args=[pemilu.slug]), data).content.decode()
    assert 'data-testid="form-errors"' in page and "<li>Nama lengkap: " in page
    assert Case.objects.count() == 0 and Evidence.objects.count() == 0
    # The form is valid but the service refuses: known before it happened, a file that is no evidence.
    data = form_data(known_on="2024-02-10", evidence=[SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "application/octet-stream")])
    page = Client().post(reverse("cases:public_report", args=[pemilu.slug]), data).content.decode()
    assert "virus.exe: bukan PDF, JPEG atau PNG" in page and "Tanggal diketahui tidak boleh sebelum tanggal kejadian" in page
    assert Case.objects.count() == 0 and Evidence.objects.count() == 0
    data = form_data(known_on="2024-02-10")
    page = Client().post(reverse("cases:public_report", args=[pemilu.slug]), data).content.decode()
    assert "Tanggal diketahui tidak boleh sebelum tanggal kejadian" in page and Case.objects.count() == 0


@pytest.mark.django_db
def test_the_public_page_shows_public_steps_only(pemilu, user_of, on):
    on(datetime(2024, 2, 12, 2, 0, tzinfo=UTC))
    case = file_public_report(election=pemilu, source=Case.Source.VOTER, region_code=PED, facts=facts())
    bawaslu, polres = user_of(personas.BAWASLU), user_of(personas.POLRES)
    take_step(actor=bawaslu, case=case, action="registrasi", checklist={code: True for code, _ in workflow.CHECKLIST})
    take_step(actor=bawaslu, case=case, action="putus", outcome=workflow.CRIME, note="Rahasia: catatan kajian.")
    take_step(actor=polres, case=case, action="pembahasan", note="Rahasia: pembahasan Gakkumdu.")
    page = Client().get(reverse("cases:public_status", args=[case.tracking_code])).content.decode()
    assert "Teregistrasi" in page and "Pembahasan Sentra Gakkumdu" in page  # the status it reached
    assert "Rahasia" not in page and "Polres" not in page


@pytest.mark.django_db
def test_a_staffer_moves_a_case_on_from_its_page_with_the_deadline_shown(pemilu, on, client_of):
    on(datetime(2024, 2, 12, 2, 0, tzinfo=UTC))
    case = file_public_report(election=pemilu, source=Case.Source.VOTER, region_code=PED, facts=facts())
    client = client_of(personas.BAWASLU)
    listing = client.get(reverse("cases:list", args=[pemilu.slug])).content.decode()
    assert case.tracking_code in listing and "3 hari lagi" in listing  # initial review by Thu 15 Feb (day one Tue 13; 14 is voting day)
    page = client.get(reverse("cases:detail", args=[pemilu.slug, case.pk])).content.decode()
    assert "Kajian awal" in page and "hari terakhir Kamis, 15 Februari 2024" in page and 'data-testid="action-registrasi"' in page
    checks = {f"check_{code}": "on" for code, _ in workflow.CHECKLIST}
    response = client.post(reverse("cases:take_step", args=[pemilu.slug, case.pk]), {"action": "registrasi", "note": "", **checks})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.REGISTERED
    page = client.get(reverse("cases:detail", args=[pemilu.slug, case.pk])).content.decode()
    assert case.registration_number in page and "Keputusan atas laporan/temuan teregistrasi" in page and "Pasal 454" in page
    # The step's document.
    step = case.steps.get()
    pdf = client.get(reverse("cases:step_pdf", args=[pemilu.slug, case.pk, step.pk]))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert pdf["Content-Type"] == "application/pdf" and "TANDA BUKTI REGISTRASI" in text and case.registration_number in text
    assert "BADAN PENGAWAS PEMILIHAN UMUM" in text and "KABUPATEN KLUNGKUNG" in text


@pytest.mark.django_db
def test_a_refused_step_is_explained_and_the_police_get_no_register_button(pemilu, on, client_of):
    on(datetime(2024, 2, 12, 2, 0, tzinfo=UTC))
    case = file_public_report(election=pemilu, source=Case.Source.VOTER, region_code=PED, facts=facts(reported_party=""))
    client = client_of(personas.BAWASLU)
    checks = {f"check_{code}": "on" for code, _ in workflow.CHECKLIST if code != "terlapor"}
    response = client.post(reverse("cases:take_step", args=[pemilu.slug, case.pk]), {"action": "registrasi", **checks}, follow=True)
    assert "Belum memenuhi syarat: Pihak terlapor disebutkan" in response.content.decode()
    Case.objects.filter(pk=case.pk).update(status=Case.Status.GAKKUMDU, outcome=Case.Outcome.CRIME, registration_number="001/Reg/LP/PL/Kab/51.05/II/2024")
    police = client_of(personas.POLRES)
    page = police.get(reverse("cases:detail", args=[pemilu.slug, case.pk])).content.decode()
    assert 'data-testid="action-pembahasan"' in page and 'data-testid="action-teruskan"' not in page
    assert police.post(reverse("cases:take_step", args=[pemilu.slug, case.pk]), {"action": "teruskan"}).status_code == 403
    assert client_of(personas.KPU).get(reverse("cases:list", args=[pemilu.slug])).status_code == 403


@pytest.mark.django_db
def test_evidence_is_added_by_bawaslu_and_served_to_who_may_see_the_case(pemilu, on, client_of):
    on(datetime(2024, 2, 12, 2, 0, tzinfo=UTC))
    case = file_public_report(election=pemilu, source=Case.Source.VOTER, region_code=PED, facts=facts())
    client = client_of(personas.BAWASLU)
    client.post(reverse("cases:add_evidence", args=[pemilu.slug, case.pk]), {"evidence": [SimpleUploadedFile("bukti.pdf", PDF, "application/pdf")]})
    evidence = Evidence.objects.get(case=case)
    served = client.get(reverse("cases:evidence", args=[pemilu.slug, case.pk, evidence.pk]))
    assert b"".join(served.streaming_content) == PDF
    assert client_of(personas.POLRES).get(reverse("cases:evidence", args=[pemilu.slug, case.pk, evidence.pk])).status_code == 404


@pytest.mark.django_db
def test_a_supervisor_records_a_finding_from_the_page(pemilu, client_of):
    client = client_of(personas.PANWASCAM_NUSA_PENIDA)
    today = timezone.localdate().isoformat()
    data = {k: v for k, v in form_data(occurred_on=today, known_on=today).items() if not k.startswith("reporter") and k != "source"}
    response = client.post(reverse("cases:new_finding", args=[pemilu.slug]), data)
    finding = Case.objects.get()
    assert response.status_code == 302 and finding.kind == Case.Kind.FINDING and finding.reporter_name


@pytest.mark.django_db
def test_days_off_page_adds_and_removes_a_regional_day_off(db, client_of):
    client = client_of(personas.BAWASLU)
    client.post(reverse("cases:days_off"), {"day": "2024-02-13", "reason": "Keputusan Bupati (contoh)", "region": "51.05"})
    page = client.get(reverse("cases:days_off")).content.decode()
    assert "Keputusan Bupati (contoh)" in page
    client.post(reverse("cases:days_off"), {"remove": "2024-02-13", "remove_region": "51.05"})
    assert "Keputusan Bupati (contoh)" not in client.get(reverse("cases:days_off")).content.decode()
    assert client_of(personas.POLRES).get(reverse("cases:days_off")).status_code == 403


@pytest.mark.django_db
def test_the_demo_cases_show_gakkumdu_a_quiet_period_report_and_a_late_one(pemilu, user_of):
    from sinergi.cases import demo

    assert demo.seed(pemilu) == 3 and demo.seed(pemilu) == 0  # idempotent
    ped = Case.objects.get(tracking_code="LP-DEMX-PED7")
    assert ped.kind == Case.Kind.FINDING and ped.outcome == Case.Outcome.CRIME and ped.status == Case.Status.PROSECUTION
    assert ped.steps.filter(deliberation=True).count() == 2 and not ped.steps.filter(late=True).exists()
    money = Case.objects.get(tracking_code="LP-DEMX-UANG")
    assert money.status == Case.Status.EXAMINATION and money.registration_number.startswith("00")
    late = Case.objects.get(tracking_code="LP-DEMX-TRMB")
    assert late.status == Case.Status.NOT_REGISTERED
    from sinergi.cases.services import filing_deadline

    deadline, is_late = filing_deadline(late)
    assert is_late and deadline.due.isoformat() == "2024-02-23"  # Thu 15 Feb is day one: 15, 16, 19–23 Feb


@pytest.mark.django_db
def test_an_incident_on_the_coverage_board_becomes_a_finding_once(pemilu, client_of):
    from sinergi.supervisors.models import Incident

    incident = Incident.objects.filter(election=pemilu, station__village_id=PED).first()
    client = client_of(personas.BAWASLU)
    board = client.get(reverse("supervisors:coverage", args=[pemilu.slug]), {"tahap": "pemungutan"}).content.decode()
    assert reverse("cases:from_incident", args=[pemilu.slug, incident.pk]) in board
    first = client.post(reverse("cases:from_incident", args=[pemilu.slug, incident.pk]))
    again = client.post(reverse("cases:from_incident", args=[pemilu.slug, incident.pk]))
    case = Case.objects.get(incident=incident)
    assert first["Location"] == again["Location"] == reverse("cases:detail", args=[pemilu.slug, case.pk])
    assert client_of(personas.POLRES).post(reverse("cases:from_incident", args=[pemilu.slug, incident.pk])).status_code == 403

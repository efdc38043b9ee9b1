"""The reporter's side of a case after filing: the tracking code is found however it is typed,
and the receipt names the Bawaslu office that received the report and gives full addresses."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from sinergi.accounts.models import Agency
from sinergi.cases import demo

TYPED = [" lp-demx-uang ", "LP DEMX UANG", "lpdemxuang", "demx uang", "LP–DEMX–UANG", "lp_demx.uang", "l p - d e m x - u a n g"]


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
@pytest.mark.parametrize("typed", TYPED)
def test_a_tracking_code_is_found_however_it_is_typed(pemilu, typed):
    demo.seed(pemilu)
    lookup = Client().get(reverse("cases:public_track"), {"code": typed})
    assert lookup.status_code == 302 and lookup["Location"] == reverse("cases:public_status", args=["LP-DEMX-UANG"])


@pytest.mark.django_db
def test_a_code_typed_into_the_address_bar_leads_to_the_report(pemilu):
    demo.seed(pemilu)
    client = Client()
    response = client.get("/lapor/status/lp-demx-uang/")
    assert response.status_code == 301 and response["Location"] == reverse("cases:public_status", args=["LP-DEMX-UANG"])
    assert client.get("/lapor/status/lpdemxuang/tanda-terima.pdf").status_code == 200
    assert client.get("/lapor/status/LP-2222-2222/").status_code == 404


@pytest.mark.django_db
def test_a_findings_code_is_explained_not_called_a_typing_mistake(pemilu):
    demo.seed(pemilu)  # LP-DEMX-PED7 is the supervisors' finding of Desa Ped, not a public report
    page = Client().get(reverse("cases:public_track"), {"code": " lp-demx-ped7 "})
    html = page.content.decode()
    assert page.status_code == 200 and "temuan pengawas pemilu" in html and "Periksa kembali" not in html
    assert Client().get(reverse("cases:public_status", args=["LP-DEMX-PED7"])).status_code == 404  # no public status for a finding


@pytest.mark.django_db
def test_the_receipt_names_the_bawaslu_office_with_its_address_and_full_addresses(pemilu, settings):
    demo.seed(pemilu)
    Agency.objects.filter(slug="bawaslu-klungkung").update(address="Jalan Contoh No. 1, Semarapura", phone="0366 000000", email="contoh@example.org")
    receipt = Client().get(reverse("cases:public_receipt", args=["LP-DEMX-UANG"]))
    text = pdf_text(receipt.content)
    assert receipt.status_code == 200
    assert "BADAN PENGAWAS PEMILIHAN UMUM KABUPATEN KLUNGKUNG" in text and "BADAN PENGAWAS PEMILIHAN UMUM PROVINSI BALI" in text
    assert "Diterima oleh Bawaslu Kabupaten Klungkung" in text
    assert "Jalan Contoh No. 1, Semarapura" in text and "Telepon 0366 000000" in text and "contoh@example.org" in text
    assert "http://testserver/lapor/status/LP-DEMX-UANG/" in text and "http://testserver/lapor/lacak/" in text

    settings.SITE_URL = "https://sinergi.example.go.id"
    text = pdf_text(Client().get(reverse("cases:public_receipt", args=["LP-DEMX-UANG"])).content)
    assert "https://sinergi.example.go.id/lapor/status/LP-DEMX-UANG/" in text and "testserver" not in text

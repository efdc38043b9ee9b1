"""The document of a case's step: the letterhead of the office that took it (Sentra Gakkumdu's for a
deliberation), and a signature block with the officer's name and NIP or NRP line."""

import pytest
from django.urls import reverse

from sinergi.cases import demo
from sinergi.cases.models import Case
from tests import personas
from tests.pdfs import page_with, pages_of


@pytest.mark.django_db
def test_each_step_prints_under_its_offices_letterhead_and_is_signed_with_nip_or_nrp(pemilu, client_of):
    demo.seed(pemilu)
    case = Case.objects.get(tracking_code="LP-DEMX-PED7")
    client = client_of(personas.BAWASLU)

    def document(action: str) -> list[str]:
        step = case.steps.filter(action=action).order_by("at").first()
        response = client.get(reverse("cases:step_pdf", args=[pemilu.slug, case.pk, step.pk]))
        assert response.status_code == 200
        return pages_of(response.content)

    registration = document("registrasi")
    text = " ".join(registration)
    assert "BADAN PENGAWAS PEMILIHAN UMUM PROVINSI BALI BADAN PENGAWAS PEMILIHAN UMUM KABUPATEN KLUNGKUNG" in text
    assert "Petugas Bawaslu Kabupaten Klungkung Staf Bawaslu Klungkung (demo) NIP. ...." in text
    deliberation = " ".join(document("pembahasan"))
    assert "SENTRA PENEGAKAN HUKUM TERPADU KABUPATEN KLUNGKUNG" in deliberation
    police = document("serahkan_berkas")
    assert "KEPOLISIAN DAERAH BALI KEPOLISIAN RESOR KLUNGKUNG" in " ".join(police)
    assert "Polres Klungkung Bag Ops Polres Klungkung (demo) NRP. ...." in " ".join(police)
    assert page_with(police, "NRP.") == page_with(police, "Uraian")

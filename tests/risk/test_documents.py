"""The release and the guard plan as real PDFs (WeasyPrint), read back with pypdf."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from tests import personas


def text_of(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.django_db
def test_the_release_pdf_reads_like_bawaslus_document(tmp_path):
    path = tmp_path / "rilis.pdf"
    call_command("risk_release", "--election", "pemilu-2024", "--format", "pdf", "--output", str(path))
    pages, text = text_of(path.read_bytes())
    assert pages >= 2
    assert "BADAN PENGAWAS PEMILIHAN UMUM KABUPATEN KLUNGKUNG" in text and "PEMETAAN KERAWANAN TPS" in text
    assert "Ada riwayat intimidasi terhadap penyelenggara" in text
    assert "TPS 017 Ped" in text  # listed among TPS with several variables
    assert "Ketua Bawaslu Kabupaten Klungkung" in text


@pytest.mark.django_db
def test_the_polsek_prints_only_its_own_plan(client_of):
    response = client_of(personas.POLSEK_NUSA_PENIDA).get("/pemilihan/pemilu-2024/pengamanan/rencana.pdf")
    assert response["Content-Type"] == "application/pdf"
    _, text = text_of(response.content)
    assert "RENCANA PENGAMANAN TPS" in text and "SEKTOR NUSA PENIDA" in text and "Kapolsek Nusa Penida" in text
    assert "SEKTOR DAWAN" not in text and "TPS 017 Ped" in text


@pytest.mark.django_db
def test_the_full_plan_pdf_has_a_section_per_polsek(tmp_path):
    path = tmp_path / "rencana.pdf"
    call_command("guard_plan", "--election", "pemilu-2024", "--format", "pdf", "--output", str(path), stderr=io.StringIO())
    _, text = text_of(path.read_bytes())
    for sector in ("SEKTOR NUSA PENIDA", "SEKTOR BANJARANGKAN", "SEKTOR KLUNGKUNG", "SEKTOR DAWAN"):
        assert sector in text

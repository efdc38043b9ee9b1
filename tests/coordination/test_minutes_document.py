"""The printed minutes: the recording office's full letterhead, and the signatures on the page of
the text before them (never alone on a page of their own)."""

import re
from datetime import UTC, datetime

import pytest

from sinergi.accounts.models import Agency
from sinergi.coordination import demo as coordination_demo
from sinergi.coordination.models import ActionItem, Meeting
from tests import personas
from tests.pdfs import page_with, pages_of


@pytest.mark.django_db
def test_the_minutes_keep_their_signatures_with_the_text_before_them(pemilu, client_of, on):
    coordination_demo.seed()
    on(datetime(2024, 2, 14, 2, 0, tzinfo=UTC))
    meeting = Meeting.objects.get()
    url = f"/pemilihan/{pemilu.slug}/rapat/{meeting.pk}/notulen.pdf"
    response = client_of(personas.POLRES).get(url)
    assert response.status_code == 200, response.status_code
    pages = pages_of(response.content)
    text = " ".join(pages)
    last_item = ActionItem.objects.filter(meeting=meeting).order_by("-pk").first().title
    signatures = page_with(pages, "Pimpinan rapat")
    assert page_with(pages, "Notulis") == signatures == page_with(pages, last_item[:30]), f"signatures on page {signatures + 1} of {len(pages)}"
    # Name and NIP/NRP lines: the note-taker's name, dotted lines where nothing is known.
    assert re.search(r"Pimpinan rapat, \(\.{10,}\) NIP/NRP\. \.{10,}", text), text[-400:]
    assert "BADAN PENGAWAS PEMILIHAN UMUM PROVINSI BALI BADAN PENGAWAS PEMILIHAN UMUM KABUPATEN KLUNGKUNG" in text
    # The office's contact line, once the deployment has it.
    Agency.objects.filter(pk=meeting.recorded_by_id).update(address="Jalan Contoh 1, Semarapura", phone="0366 000000")
    assert "Jalan Contoh 1, Semarapura · Telepon 0366 000000" in pages_of(client_of(personas.POLRES).get(url).content)[0]

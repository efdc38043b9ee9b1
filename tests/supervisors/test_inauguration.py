"""Inauguration: island supervisors on their island, the main venue while seats last, check-in
by the invitation's QR code, and the printed documents."""

import io
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from sinergi.stations.demo import CROSSING_BOAT, CROSSING_RORO
from sinergi.supervisors.documents import invitation_token
from sinergi.supervisors.inauguration import check_in, invite, island_of
from sinergi.supervisors.models import Assignment, Invitation, Session, Venue
from tests import personas


def pdf_text(content: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_the_demo_inauguration_kept_everyone_on_their_island(pemilu):
    present = {s.venue.island: s.invitations.filter(checked_in_at__isnull=False).count() for s in Session.objects.filter(venue__election=pemilu).select_related("venue")}
    assert present == {"daratan": 451, CROSSING_RORO: 174, CROSSING_BOAT: 24}
    assert Assignment.objects.filter(election=pemilu, status="dilantik").count() == 649
    for invitation in Invitation.objects.filter(session__venue__election=pemilu).select_related("assignment__station", "assignment__election", "session__venue")[:60]:
        assert island_of(invitation.assignment) == invitation.session.venue.island


@pytest.mark.django_db
def test_the_main_venue_fills_first_and_overflow_is_reported(pemilu, user_of):
    Invitation.objects.filter(session__venue__election=pemilu).delete()
    main = Venue.objects.get(election=pemilu, island="daratan")
    Venue.objects.filter(pk=main.pk).update(capacity=400)
    second = Venue.objects.create(election=pemilu, name="Gedung kedua", region_id="51.05.03", island="daratan", capacity=30, priority=5)
    Session.objects.create(venue=second, starts_at=datetime(2024, 1, 22, 13, 0).astimezone())
    counts = invite(actor=user_of(personas.BAWASLU), election=pemilu)
    assert counts == {"diundang": 628, "tanpa_tempat": 21}  # 451 mainland: 400 + 30 placed, 21 without a seat
    assert Invitation.objects.filter(session__venue=main).count() == 400
    assert invite(actor=user_of(personas.BAWASLU), election=pemilu) == {"diundang": 0, "tanpa_tempat": 21}


@pytest.mark.django_db
def test_check_in_by_the_qr_code_inaugurates_once(client_of, pemilu):
    invitation = Invitation.objects.filter(session__venue__election=pemilu).select_related("assignment").first()
    Invitation.objects.filter(pk=invitation.pk).update(checked_in_at=None)
    Assignment.objects.filter(pk=invitation.assignment_id).update(status="memenuhi_syarat")
    url = f"/pengawas/hadir/{invitation_token(invitation)}/"
    assert client_of(personas.PANWASCAM_NUSA_PENIDA).get(url).status_code == 403
    assert client_of(personas.BAWASLU).get(url[:-5] + "xxxx/").status_code == 403
    page = client_of(personas.BAWASLU).get(url)
    assert page.status_code == 200 and invitation.assignment.supervisor.name in page.text and "Catat hadir" in page.text
    done = client_of(personas.BAWASLU).post(url, follow=True)
    assert "hadir dan dilantik" in done.text
    assert Assignment.objects.get(pk=invitation.assignment_id).status == "dilantik"
    with pytest.raises(ValidationError, match="sudah tercatat hadir"):
        check_in(actor=None, invitation=invitation)


@pytest.mark.django_db
def test_invitations_attendance_list_and_assignment_letter(client_of, pemilu):
    session = Session.objects.filter(venue__election=pemilu, venue__island=CROSSING_BOAT).get()
    bawaslu = client_of(personas.BAWASLU)
    invitations = bawaslu.get(f"/pemilihan/pemilu-2024/pengawas/pelantikan/{session.pk}/undangan.pdf")
    reader = PdfReader(io.BytesIO(invitations.content))
    assert len(reader.pages) == 24 and "UNDANGAN PELANTIKAN PENGAWAS" in reader.pages[0].extract_text().upper()
    attendance = pdf_text(bawaslu.get(f"/pemilihan/pemilu-2024/pengawas/pelantikan/{session.pk}/daftar-hadir.pdf").content)
    assert "DAFTAR HADIR" in attendance.upper() and "24 diundang." in attendance
    assignment = Assignment.objects.filter(election=pemilu, station__village_id="51.05.01.2010", station__number=17).first()
    letter = pdf_text(bawaslu.get(f"/pemilihan/pemilu-2024/pengawas/{assignment.pk}/surat-tugas.pdf").content)
    assert "SURAT TUGAS" in letter.upper() and "Pengawas TPS nomor 17 Desa/Kelurahan Ped" in letter and assignment.supervisor.name in letter
    page = bawaslu.get("/pemilihan/pemilu-2024/pengawas/pelantikan/")
    assert page.status_code == 200 and "Balai Budaya" in page.text
    assert client_of(personas.PANWASCAM_NUSA_PENIDA).get(f"/pemilihan/pemilu-2024/pengawas/pelantikan/{session.pk}/undangan.pdf").status_code == 403

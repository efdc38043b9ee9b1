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


@pytest.mark.django_db
def test_bawaslu_sets_up_a_venue_and_a_session_on_the_page_and_then_invites(client_of, pemilu):
    from sinergi.audit.models import AuditEvent

    Invitation.objects.filter(session__venue__election=pemilu).delete()
    Session.objects.filter(venue__election=pemilu).delete()
    Venue.objects.filter(election=pemilu).delete()
    client = client_of(personas.BAWASLU)
    url = "/pemilihan/pemilu-2024/pengawas/pelantikan/"
    page = client.get(url)
    assert "Tambah tempat pelantikan" in page.text and "Tambahkan tempat lebih dulu" in page.text
    # Bad input names the fields and writes nothing.
    bad = client.post(url, {"action": "venue", "tempat-name": "Aula", "tempat-region": "51.05.03", "tempat-island": "daratan", "tempat-capacity": "0", "tempat-latitude": "-8.5"})
    assert bad.status_code == 400 and "lebih besar dari atau sama dengan 1" in bad.text
    half = client.post(url, {"action": "venue", "tempat-name": "Aula", "tempat-region": "51.05.03", "tempat-island": "daratan", "tempat-capacity": "10", "tempat-priority": "0", "tempat-latitude": "-8.5"})
    assert half.status_code == 400 and "Isi lintang dan bujur keduanya" in half.text
    assert not Venue.objects.filter(election=pemilu).exists()
    venue_fields = {"action": "venue", "tempat-region": "51.05.03", "tempat-priority": "0", "tempat-latitude": "-8.5353", "tempat-longitude": "115.4036"}
    done = client.post(url, {**venue_fields, "tempat-name": "Balai Budaya", "tempat-island": "daratan", "tempat-capacity": "500"}, follow=True)
    assert "Tempat Balai Budaya ditambahkan" in done.text
    client.post(url, {**venue_fields, "tempat-name": "Aula Sampalan", "tempat-region": "51.05.01", "tempat-island": CROSSING_RORO, "tempat-capacity": "200"})
    client.post(url, {**venue_fields, "tempat-name": "Balai Desa Jungutbatu", "tempat-region": "51.05.01", "tempat-island": CROSSING_BOAT, "tempat-capacity": "40"})
    for venue in Venue.objects.filter(election=pemilu):
        added = client.post(url, {"action": "session", "jadwal-venue": venue.pk, "jadwal-starts_at": "2024-01-22T09:00"}, follow=True)
        assert "Jadwal pelantikan di" in added.text
    assert {s.starts_at.isoformat() for s in Session.objects.filter(venue__election=pemilu)} == {"2024-01-22T01:00:00+00:00"}  # 09.00 WITA
    twice = client.post(url, {"action": "session", "jadwal-venue": Venue.objects.filter(election=pemilu).first().pk, "jadwal-starts_at": "2024-01-22T09:00"})
    assert twice.status_code == 400 and "Jadwal ini sudah ada" in twice.text
    assert AuditEvent.objects.filter(action__in=["inauguration.venue", "inauguration.session"]).count() == 6
    client.post(url, {"action": "invite", "confirm": "1"})
    placed = {s.venue.island: s.invitations.count() for s in Session.objects.filter(venue__election=pemilu).select_related("venue")}
    assert placed == {"daratan": 451, CROSSING_RORO: 174, CROSSING_BOAT: 24}
    # Outside one's area, and without the right, nothing can be set up.
    panwascam = client_of(personas.PANWASCAM_NUSA_PENIDA).post(url, {**venue_fields, "tempat-name": "X", "tempat-island": "daratan", "tempat-capacity": "5"})
    assert panwascam.status_code == 403


@pytest.mark.django_db
def test_inviting_places_only_the_supervisors_of_the_actors_area(pemilu, user_of):
    """A Bawaslu officer whose account is limited to Nusa Penida invites Nusa Penida's supervisors,
    as many as the confirmation page counted from the roster that officer sees."""
    from sinergi.accounts.models import User
    from sinergi.accounts.services import ensure_user
    from sinergi.supervisors.queries import roster_for

    Invitation.objects.filter(session__venue__election=pemilu).delete()
    bawaslu = user_of(personas.BAWASLU)
    officer = ensure_user(actor=None, username="bawaslu-np", agency=bawaslu.agency, role=User.Role.STAFF, full_name="Staf Nusa Penida", password=personas.PASSWORD)
    User.objects.filter(pk=officer.pk).update(area_id="51.05.01")
    officer = User.objects.select_related("agency").get(pk=officer.pk)
    waiting = roster_for(officer, pemilu).filter(status__in=Assignment.ACTIVE, invitation__isnull=True).count()
    counts = invite(actor=officer, election=pemilu)
    assert counts["diundang"] + counts["tanpa_tempat"] == waiting > 0
    invited = Assignment.objects.filter(election=pemilu, invitation__isnull=False)
    assert invited.exists() and not invited.exclude(region__code__startswith="51.05.01").exists()

"""Inauguration documents (A4, Indonesian): invitations with a check-in QR code, the attendance
list of a session, and a supervisor's assignment letter (surat tugas)."""

from zoneinfo import ZoneInfo

from django.core import signing
from django.utils import timezone, translation

from sinergi.accounts.models import Agency
from sinergi.core.pdf import render_pdf
from sinergi.logistics.documents import qr_png
from sinergi.supervisors.models import Assignment, Invitation, Session

SALT = "sinergi.supervisors.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT, compress=True)


def invitation_from_token(token: str) -> int:
    """The invitation id in a scanned code; raises signing.BadSignature when it was altered."""
    return signing.loads(token, salt=SALT)


def _bawaslu(election, region_code: str):
    district = ".".join(region_code.split(".")[:2])
    return Agency.objects.filter(kind=Agency.Kind.BAWASLU, region_id=district).select_related("region").first()


def _context(election, session: Session | None = None) -> dict:
    tz = ZoneInfo(election.time_zone)
    return {"election": election, "printed_at": timezone.localtime(timezone=tz), "tz_label": election.time_zone_label.split(" ")[0], "starts_at": timezone.localtime(session.starts_at, tz) if session else None}


def invitations_pdf(session: Session, check_in_url) -> bytes:
    """One page per invited supervisor; `check_in_url(invitation)` is the address its QR code opens."""
    invitations = list(session.invitations.select_related("assignment__supervisor", "assignment__station__village", "assignment__region"))
    election = session.venue.election
    agency = _bawaslu(election, session.venue.region_id)
    context = {
        **_context(election, session),
        "session": session,
        "agency_name": agency.name if agency else "Bawaslu",
        "rows": [(i, qr_png(check_in_url(i), scale=5)) for i in invitations],
    }
    with translation.override("id"):
        return render_pdf("supervisors/invitation_document.html", context)


def attendance_pdf(session: Session) -> bytes:
    election = session.venue.election
    agency = _bawaslu(election, session.venue.region_id)
    context = {
        **_context(election, session),
        "session": session,
        "agency_name": agency.name if agency else "Bawaslu",
        "invitations": list(session.invitations.select_related("assignment__supervisor", "assignment__station__village", "assignment__region")),
    }
    with translation.override("id"):
        return render_pdf("supervisors/attendance_document.html", context)


def assignment_letter_pdf(assignment: Assignment) -> bytes:
    election = assignment.election
    agency = _bawaslu(election, assignment.region_id)
    context = {**_context(election), "assignment": assignment, "person": assignment.supervisor, "agency_name": agency.name if agency else "Bawaslu", "place": agency.region.name if agency else ""}
    with translation.override("id"):
        return render_pdf("supervisors/assignment_letter.html", context)

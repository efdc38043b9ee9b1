"""Supervisors' documents (A4, Indonesian): inauguration invitations with a check-in QR code,
the attendance list of a session, a supervisor's assignment letter (surat tugas), and the
printable Form A of a report."""

import base64
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils import timezone, translation

from sinergi.accounts.letterhead import district_letterhead
from sinergi.accounts.models import Agency
from sinergi.core.pdf import render_pdf
from sinergi.logistics.documents import qr_png
from sinergi.regions import codes
from sinergi.regions.queries import zone_label
from sinergi.supervisors.models import Assignment, Invitation, Question, Report, Session

SALT = "sinergi.supervisors.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT, compress=True)


def invitation_from_token(token: str) -> int:
    """The invitation id in a scanned code; raises signing.BadSignature when it was altered."""
    return signing.loads(token, salt=SALT)


def _bawaslu(election, region_code: str):
    district = codes.district_of(region_code)
    return Agency.objects.filter(kind=Agency.Kind.BAWASLU, region_id=district).select_related("region").first()


def _context(election, region_code: str, session: Session | None = None) -> dict:
    tz = election.zone_at(region_code)
    return {
        "election": election, "kop": district_letterhead(Agency.Kind.BAWASLU, region_code), "printed_at": timezone.localtime(timezone=tz),
        "tz_label": zone_label(tz), "starts_at": timezone.localtime(session.starts_at, tz) if session else None,
    }  # fmt: skip


@dataclass(frozen=True)
class FieldCodeBlock:
    """A PTPS's field sign-in code as printed: the code, the sign-in page's address, and a QR code
    of that address with the code after '#' (supervisors/field_logins.py)."""

    code: str
    url: str
    qr: str
    hours: int


def field_code_block(code: str | None, sign_in_url: str) -> FieldCodeBlock | None:
    if code is None:
        return None
    return FieldCodeBlock(code, sign_in_url, qr_png(f"{sign_in_url}#kode={code}", scale=4), settings.FIELD_SESSION_AGE // 3600)


def invitations_pdf(session: Session, check_in_url, field_codes: dict[int, str] | None = None, sign_in_url: str = "") -> bytes:
    """One page per invited supervisor; `check_in_url(invitation)` is the address its QR code opens.
    A PTPS's page also carries its field sign-in code (`field_codes`: post id -> code)."""
    field_codes = field_codes or {}
    invitations = list(session.invitations.select_related("assignment__supervisor", "assignment__station__village", "assignment__region"))
    election = session.venue.election
    agency = _bawaslu(election, session.venue.region_id)
    context = {
        **_context(election, session.venue.region_id, session),
        "session": session,
        "agency_name": agency.name if agency else "Bawaslu",
        "rows": [(i, qr_png(check_in_url(i), scale=5), field_code_block(field_codes.get(i.assignment_id), sign_in_url)) for i in invitations],
    }
    with translation.override("id"):
        return render_pdf("supervisors/invitation_document.html", context)


def attendance_pdf(session: Session) -> bytes:
    election = session.venue.election
    agency = _bawaslu(election, session.venue.region_id)
    context = {
        **_context(election, session.venue.region_id, session),
        "session": session,
        "agency_name": agency.name if agency else "Bawaslu",
        "invitations": list(session.invitations.select_related("assignment__supervisor", "assignment__station__village", "assignment__region")),
    }
    with translation.override("id"):
        return render_pdf("supervisors/attendance_document.html", context)


def assignment_letter_pdf(assignment: Assignment, field_code: str | None = None, sign_in_url: str = "") -> bytes:
    """The surat tugas; an active PTPS's carries its field sign-in code (`field_code`)."""
    election = assignment.election
    agency = _bawaslu(election, assignment.region_id)
    context = {
        **_context(election, assignment.region_id), "assignment": assignment, "person": assignment.supervisor, "agency_name": agency.name if agency else "Bawaslu",
        "place": agency.region.name if agency else "", "field_code": field_code_block(field_code, sign_in_url),
    }  # fmt: skip
    with translation.override("id"):
        return render_pdf("supervisors/assignment_letter.html", context)


def field_code_slips_pdf(election, posts: list[Assignment], codes: dict[int, str], sign_in_url: str) -> bytes:
    """Slips to cut out, up to eight to an A4 page: each PTPS's name, TPS, code and QR code."""
    slips = [
        {
            "name": post.supervisor.name, "number": post.station.number, "village": post.station.village.name, "kecamatan": post.station.village.parent.name,
            "code": codes[post.pk], "url": sign_in_url, "qr": qr_png(f"{sign_in_url}#kode={codes[post.pk]}", scale=4),
        }  # fmt: skip
        for post in posts
        if post.pk in codes
    ]
    context = {**_context(election, posts[0].region_id if posts else ""), "slips": slips}
    with translation.override("id"):
        return render_pdf("supervisors/field_code_slips.html", context)


def form_a_pdf(report: Report) -> bytes:
    """The printable Form A (Laporan Hasil Pengawasan Pemilu) of one report: the supervisor, the
    supervised stage, the checklist with its answers, the narrative, the incidents reported at
    the TPS that day and the photos sent with it (the C.Hasil copy among them)."""
    election, station = report.election, report.station
    tz = election.zone_at(station.village_id)
    agency = _bawaslu(election, station.village_id)
    post = Assignment.objects.filter(station=station, role=Assignment.Role.PTPS).select_related("supervisor").order_by("-started_on", "-pk")
    holder = next((a for a in post if a.started_on <= timezone.localtime(report.observed_at, tz).date()), None) or post.first()
    photos = []
    for attachment in report.attachments.all():
        with attachment.file.open("rb") as handle:
            photos.append((attachment, f"data:{attachment.content_type};base64,{base64.b64encode(handle.read()).decode()}"))
    attached = {attachment.code for attachment, _src in photos}

    def photo_answer(code: str) -> str:
        # Photos follow the report on their own (the field app sends them after it): say what the
        # document holds, not what the checklist expected.
        if code in attached:
            return "lihat lampiran foto"
        return "tidak ada foto terlampir"

    questions = list(Question.objects.filter(election=election, stage=report.stage))
    answers = []
    for question in questions:
        value = report.answers.get(question.code)
        shown = ("Ya" if value else "Tidak") if isinstance(value, bool) else ("—" if value is None else str(value))
        answers.append((question.text, shown if question.kind != Question.Kind.PHOTO else photo_answer(question.code)))
    day = timezone.localtime(report.observed_at, tz).date()
    incidents = [i for i in station.incidents.order_by("occurred_at") if timezone.localtime(i.occurred_at, tz).date() == day]
    context = {
        **_context(election, station.village_id),
        "report": report,
        "station": station,
        "holder": holder,
        "agency_name": agency.name if agency else "Bawaslu",
        "place": agency.region.name if agency else "",
        "observed_at": timezone.localtime(report.observed_at, tz),
        "received_at": timezone.localtime(report.received_at, tz),
        "answers": answers,
        "incidents": [(i, timezone.localtime(i.occurred_at, tz)) for i in incidents],
        "photos": photos,
    }
    with translation.override("id"):
        return render_pdf("supervisors/form_a_document.html", context)

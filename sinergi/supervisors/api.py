import uuid
from datetime import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from sinergi.accounts.api_auth import INTAKE_AUTH
from sinergi.accounts.models import Agency
from sinergi.accounts.queries import check_token
from sinergi.core.pagination import BoundedLimitOffset
from sinergi.core.params import RowId
from sinergi.elections.queries import election_by_slug
from sinergi.supervisors import incident_flow, incidents
from sinergi.supervisors.attachments import attach
from sinergi.supervisors.checklists import ATTACHMENT
from sinergi.supervisors.models import Incident, Question
from sinergi.supervisors.queries import active_ptps_post, incident_for, incidents_for, steps_of
from sinergi.supervisors.reports import ReportItem, station_for_filing, submit_incident, submit_report, submit_reports

router = Router(tags=["reports"])
SLUG = Query(..., pattern=r"^[a-z0-9-]+$", max_length=60)


class QuestionOut(Schema):
    stage: str
    code: str
    text: str
    kind: str
    required: bool


class ReportIn(Schema):
    client_id: uuid.UUID
    station_id: RowId
    stage: str = Field(..., max_length=12)
    answers: dict[str, bool | int | Annotated[str, Field(max_length=1000)]] = Field(default_factory=dict)
    narrative: str = Field("", max_length=4000, pattern=r"^[^\x00]*$")
    observed_at: datetime


class ReportOut(Schema):
    client_id: uuid.UUID
    number: str
    station_id: int
    stage: str
    received_at: datetime
    created: bool


@router.get("/questions", response=list[QuestionOut], summary="The Form A checklists of an election, per stage (for the field app)")
def questions(request, election: str = SLUG):
    return list(Question.objects.filter(election=election_by_slug(election)).values("stage", "code", "text", "kind", "required"))


@router.post(
    "",
    auth=INTAKE_AUTH,
    response={200: ReportOut, 201: ReportOut},
    summary="File a report (Form A). Idempotent on client_id: 201 the first time, 200 with the same report after; 409 if the id belongs to another report",
)
def file_report(request, payload: ReportIn):
    token = getattr(request, "unchecked_token", None)  # checked by the INSERT (accounts.api_auth.IntakeBearerToken)
    try:
        station = station_for_filing(payload.station_id)
    except Http404:
        check_token(token)
        raise
    report, created = submit_report(
        actor=request.auth,
        station=station,
        stage=payload.stage,
        client_id=payload.client_id,
        answers=payload.answers,
        narrative=payload.narrative,
        observed_at=payload.observed_at,
        via="api",
        token=token,
    )
    body = {"client_id": report.client_id, "number": report.number, "station_id": report.station_id, "stage": report.stage, "received_at": report.received_at, "created": created}
    return Status(201 if created else 200, body)


class IncidentIn(Schema):
    client_id: uuid.UUID
    station_id: RowId
    category: str = Field(..., max_length=24)
    severity: str = Field(..., max_length=8)
    occurred_at: datetime
    description: str = Field(..., max_length=4000, pattern=r"^[^\x00]*$")


class IncidentOut(Schema):
    client_id: uuid.UUID
    station_id: int
    category: str
    severity: str
    received_at: datetime
    created: bool


@router.post("/incidents", response={200: IncidentOut, 201: IncidentOut}, summary="Report an incident at a TPS; idempotent on client_id like a report")
def file_incident(request, payload: IncidentIn):
    station = station_for_filing(payload.station_id)
    incident, created = submit_incident(
        actor=request.auth,
        station=station,
        client_id=payload.client_id,
        category=payload.category,
        severity=payload.severity,
        occurred_at=payload.occurred_at,
        description=payload.description,
        via="api",
    )
    body = {"client_id": incident.client_id, "station_id": incident.station_id, "category": incident.category, "severity": incident.severity, "received_at": incident.received_at, "created": created}
    return Status(201 if created else 200, body)


class AttachmentIn(Schema):
    client_id: uuid.UUID
    report_id: uuid.UUID | None = None
    incident_id: uuid.UUID | None = None
    code: str = Field(ATTACHMENT, max_length=40)


class AttachmentOut(Schema):
    client_id: uuid.UUID
    code: str
    size: int
    sha256: str
    received_at: datetime
    created: bool


@router.post(
    "/attachments",
    response={200: AttachmentOut, 201: AttachmentOut},
    summary="Attach a photo (JPEG/PNG, at most 5 MB) to a report or incident already sent: the C.Hasil copy, a photo question's answer, or evidence. Idempotent on client_id",
)
def add_attachment(request, payload: Form[AttachmentIn], file: File[UploadedFile]):
    attachment, created = attach(
        actor=request.auth, client_id=payload.client_id, upload=file, code=payload.code, report_id=payload.report_id, incident_id=payload.incident_id
    )
    body = {"client_id": attachment.client_id, "code": attachment.code, "size": attachment.size, "sha256": attachment.sha256, "received_at": attachment.received_at, "created": created}
    return Status(201 if created else 200, body)


class MyPostOut(Schema):
    station_id: int
    station: str
    election: str
    time_zone: str  # the TPS's (IANA name, its province's zone): the field app shows its times in it


@router.get("/me", response=MyPostOut, summary="The TPS the signed-in PTPS reports for (404 for an account without an active PTPS post)")
def my_post(request):
    assignment = active_ptps_post(request.auth)
    if assignment is None:
        raise Http404("no active PTPS post")
    return {"station_id": assignment.station_id, "station": str(assignment.station), "election": assignment.election.slug, "time_zone": assignment.election.zone_at(assignment.station.village_id).key}


class BatchIn(Schema):
    reports: list[ReportIn] = Field(..., max_length=500)


class BatchItemOut(Schema):
    client_id: uuid.UUID
    status: int  # 201 stored now, 200 stored before, or the error's status
    number: str = ""
    detail: list[str] = []
    fields: list[str] = []  # for a 409: the fields that differ from the report stored under this id


@router.post("/batch", response=list[BatchItemOut], summary="Send many queued reports at once (the field app after a long offline spell); each is filed on its own, idempotent on its client_id")
def file_batch(request, payload: BatchIn):
    """Each report is checked on its own: one refused report never holds back the others, and an
    item answered 200/201 is stored, whatever happens to the rest."""
    items = [ReportItem(r.client_id, r.station_id, r.stage, r.answers, r.narrative, r.observed_at) for r in payload.reports]
    return [
        {"client_id": filed.client_id, "status": filed.status, "number": filed.report.number if filed.report else "", "detail": filed.detail, "fields": filed.fields}
        for filed in submit_reports(actor=request.auth, items=items)
    ]


# -- /api/v1/incidents: incidents handed to the police (docs/incidents.md) ---------------------

incidents_router = Router(tags=["incidents"])


class IncidentRowOut(Schema):
    id: int
    client_id: uuid.UUID
    election: str
    station_id: int
    station: str
    category: str
    severity: str
    occurred_at: datetime
    state: str
    agency: str | None  # the slug of the police agency it is referred to
    escalated_to: str | None
    referred_at: datetime | None
    acknowledge_due: datetime | None
    arrival_due: datetime | None
    escalated_at: datetime | None
    overdue: str  # "terima" (not acknowledged in time), "tiba" (not on site in time) or ""

    @staticmethod
    def resolve_election(obj):
        return obj.election.slug

    @staticmethod
    def resolve_station(obj):
        return str(obj.station)

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.slug if obj.agency_id else None

    @staticmethod
    def resolve_escalated_to(obj):
        return obj.escalated_to.slug if obj.escalated_to_id else None

    @staticmethod
    def resolve_overdue(obj):
        return incident_flow.overdue(obj.state, obj.acknowledge_due, obj.arrival_due, timezone.now())


class StepOut(Schema):
    client_id: uuid.UUID | None
    incident_id: int
    action: str
    from_state: str
    to_state: str
    agency: str | None
    at: datetime
    happened_at: datetime
    note: str
    done_by: str
    created: bool = False

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.slug if obj.agency_id else None


class IncidentOutDetail(IncidentRowOut):
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj):
        return steps_of(obj)


@incidents_router.get("", response=list[IncidentRowOut], summary="Incidents the caller may read (supervisors: their area; police: referred or escalated to their agency), newest first")
@paginate(BoundedLimitOffset)
def list_incidents(request, election: str = SLUG, state: str = Query("", pattern=r"^[a-z_]*$", max_length=12)):
    """`state`: baru, dirujuk, diterima, di_lokasi, selesai or ditutup."""
    return incidents_for(request.auth, election_by_slug(election), state=state).select_related("election")


def _visible(request, incident_id: int):
    incident = Incident.objects.filter(pk=incident_id).select_related("election").first()
    if incident is None:
        raise Http404("Kejadian tidak ada.")
    return incident_for(request.auth, incident.election, incident_id)


@incidents_router.get("/{incident_id}", response=IncidentOutDetail, summary="One incident with its steps")
def get_incident(request, incident_id: RowId):
    return _visible(request, incident_id)


def _answer(step, created: bool):
    step.created = created
    return Status(201 if created else 200, step)


class ReferralIn(Schema):
    client_id: uuid.UUID
    agency: str = Field("", max_length=80, description="The slug of the Polsek of the incident's TPS (the default) or of its Polres")
    note: str = Field("", max_length=2000, pattern=r"^[^\x00]*$")


class NoteIn(Schema):
    client_id: uuid.UUID
    note: str = Field("", max_length=2000, pattern=r"^[^\x00]*$")


class ResolutionIn(Schema):
    client_id: uuid.UUID
    done: str = Field(..., max_length=2000, pattern=r"^[^\x00]*$", description="What was done")
    done_by: str = Field(..., max_length=200, pattern=r"^[^\x00]*$", description="By whom (officers, unit)")
    done_at: datetime | None = Field(None, description="When; the moment of the request if left out")


class CloseIn(Schema):
    client_id: uuid.UUID
    reason: str = Field(..., max_length=2000, pattern=r"^[^\x00]*$", description="Why it is not a police matter")


STEP_ANSWERS = {200: StepOut, 201: StepOut}
IDEMPOTENT = ": idempotent on client_id (201 the first time, 200 with the same step after); 409 when the incident's state does not allow it"


@incidents_router.post("/{incident_id}/referrals", response=STEP_ANSWERS, summary="Refer to the police (Bawaslu, Panwascam of the area)" + IDEMPOTENT)
def refer_incident(request, incident_id: RowId, payload: ReferralIn):
    incident = _visible(request, incident_id)
    agency = None
    if payload.agency:
        agency = Agency.objects.filter(slug=payload.agency).first()
        if agency is None:
            raise ValidationError(f"Lembaga '{payload.agency}' tidak dikenal; pilih Polsek TPS ini atau Polres-nya.")
    return _answer(*incidents.refer(actor=request.auth, incident=incident, client_id=payload.client_id, agency=agency, note=payload.note))


@incidents_router.post("/{incident_id}/acknowledge", response=STEP_ANSWERS, summary="Acknowledge (the police agency it is referred or escalated to)" + IDEMPOTENT)
def acknowledge_incident(request, incident_id: RowId, payload: NoteIn):
    return _answer(*incidents.acknowledge(actor=request.auth, incident=_visible(request, incident_id), client_id=payload.client_id, note=payload.note))


@incidents_router.post("/{incident_id}/arrival", response=STEP_ANSWERS, summary="Record the officers' arrival at the TPS" + IDEMPOTENT)
def incident_arrival(request, incident_id: RowId, payload: NoteIn):
    return _answer(*incidents.arrive(actor=request.auth, incident=_visible(request, incident_id), client_id=payload.client_id, note=payload.note))


@incidents_router.post("/{incident_id}/resolution", response=STEP_ANSWERS, summary="Record the resolution: what was done, by whom, when" + IDEMPOTENT)
def incident_resolution(request, incident_id: RowId, payload: ResolutionIn):
    incident = _visible(request, incident_id)
    return _answer(*incidents.resolve(actor=request.auth, incident=incident, client_id=payload.client_id, done=payload.done, done_by=payload.done_by, done_at=payload.done_at))


@incidents_router.post("/{incident_id}/close", response=STEP_ANSWERS, summary="Close as not a police matter, with the reason (Bawaslu, Panwascam)" + IDEMPOTENT)
def close_incident(request, incident_id: RowId, payload: CloseIn):
    return _answer(*incidents.close(actor=request.auth, incident=_visible(request, incident_id), client_id=payload.client_id, reason=payload.reason))

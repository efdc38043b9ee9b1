import uuid
from datetime import datetime

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from sinergi.core.params import RowId
from sinergi.elections.queries import election_by_slug
from sinergi.guard.models import GuardPost
from sinergi.guard.post_queries import posts_to_check_in
from sinergi.guard.post_services import check_in
from sinergi.guard.queries import plan_for

router = Router(tags=["guard"])


class GuardPostOut(Schema):
    number: int
    level: str
    kecamatan_code: str
    station_ids: list[int]
    police: int
    linmas: int


class TotalsOut(Schema):
    kecamatan_code: str
    posts: int
    stations: int
    police: int
    linmas: int
    available_police: int
    shortage: int


class PlanGapOut(Schema):
    """A kecamatan whose TPS no formation covers (`reason` "formasi"; `polres` names the Polres
    expected to set one, empty when none answers for the area) or no Polsek answers for ("polsek")."""

    kecamatan_code: str
    kecamatan_name: str
    stations: int
    reason: str
    polres: str


class PlanOut(Schema):
    police: int
    linmas: int
    kecamatans: list[TotalsOut]
    posts: list[GuardPostOut]
    gaps: list[PlanGapOut]


@router.get("/plan", response=PlanOut, summary="The guard plan over the caller's area: posts and totals per Polsek")
def read_plan(request, election: str = Query(..., pattern=r"^[a-z0-9-]+$", max_length=60)):
    guard = plan_for(request.auth, election_by_slug(election))
    plan = guard.plan
    return {"police": plan.police, "linmas": plan.linmas, "kecamatans": plan.kecamatans, "posts": plan.posts, "gaps": guard.gaps}


class FixedPostOut(Schema):
    id: int
    code: str
    number: int
    level: str
    polsek: str
    stations: list[str]
    police: int
    linmas: int
    officers: list[str]


@router.get("/posts", response=list[FixedPostOut], summary="The fixed voting-day posts the caller may check in at (the officers' field app)")
def read_posts(request, election: str = Query(..., pattern=r"^[a-z0-9-]+$", max_length=60)):
    posts = posts_to_check_in(request.auth, election_by_slug(election))
    return [
        {
            "id": p.pk,
            "code": p.code,
            "number": p.number,
            "level": p.level,
            "polsek": p.polsek.name,
            "stations": [str(s) for s in sorted(p.stations.all(), key=lambda s: (s.village_id, s.number))],
            "police": p.police,
            "linmas": p.linmas,
            "officers": [f"{o.name} ({o.nrp})" for o in p.officers.all()],
        }  # fmt: skip
        for p in posts
    ]


class CheckInIn(Schema):
    client_id: uuid.UUID
    post_id: RowId
    kind: str = Field("hadir", max_length=10)
    at: datetime
    latitude: float | None = None
    longitude: float | None = None
    linmas_present: int | None = Field(None, ge=0, le=500)
    police_present: int | None = Field(None, ge=0, le=500)
    notes: str = Field("", max_length=4000, pattern=r"^[^\x00]*$")


class CheckInOut(Schema):
    client_id: uuid.UUID
    post_id: int
    post_code: str
    kind: str
    at: datetime
    received_at: datetime
    created: bool


@router.post(
    "/check-ins",
    response={200: CheckInOut, 201: CheckInOut},
    summary="Check in at a guard post (or a patrol note). Idempotent on client_id: 201 the first time, 200 with the same check-in after; 409 if the id belongs to other content",
)
def post_check_in(request, payload: CheckInIn):
    post = GuardPost.objects.filter(pk=payload.post_id).select_related("polsek", "election").first()
    if post is None:
        raise Http404("Pos tidak dikenal.")
    row, created = check_in(
        actor=request.auth, post=post, client_id=payload.client_id, at=payload.at, kind=payload.kind, latitude=payload.latitude,
        longitude=payload.longitude, linmas_present=payload.linmas_present, police_present=payload.police_present, notes=payload.notes,
    )  # fmt: skip
    body = {
        "client_id": row.client_id,
        "post_id": post.pk,
        "post_code": post.code,
        "kind": row.kind,
        "at": row.at,
        "received_at": row.received_at,
        "created": created,
    }
    return Status(201 if created else 200, body)

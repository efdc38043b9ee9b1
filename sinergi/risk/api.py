from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sinergi.core.pagination import BoundedLimitOffset
from sinergi.core.params import RowId
from sinergi.elections.queries import election_by_slug
from sinergi.risk.queries import checklist_of, classes_for, release_for, suggestions_for_stations
from sinergi.risk.services import set_station_class, submit_checklist
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to

router = Router(tags=["risk"])
SLUG = Query(..., pattern=r"^[a-z0-9-]+$", max_length=60)


# Short text with no NUL byte (PostgreSQL refuses one in text); as the web form allows.
NOTE = Field("", max_length=300, pattern=r"^[^\x00]*$")


class AnswerOut(Schema):
    code: str
    variable: int
    text: str
    present: bool
    note: str
    filled_by: str | None  # username; None when never filled (or filled by the system)
    filled_at: datetime | None
    evidence: bool


class AnswerIn(Schema):
    code: str = Field(..., max_length=12)
    present: bool
    note: str = NOTE


class ChecklistIn(Schema):
    answers: list[AnswerIn] = Field(..., max_length=100)
    reason: str = NOTE


class SubmitOut(Schema):
    changed: int


class IndicatorCountOut(Schema):
    code: str
    variable: int
    text: str
    total: int
    rank: int
    group: str
    by_kecamatan: dict[str, int]
    by_village: dict[str, int]


class SeveralOut(Schema):
    station_id: int
    variables: list[int]


class ReleaseOut(Schema):
    stations: int
    indicators: list[IndicatorCountOut]
    by_variable: dict[int, int]
    several_variables: list[SeveralOut]


class ClassOut(Schema):
    station_id: int
    level: str
    source: str  # "polisi" when set by the police, "saran" when only suggested


class ClassIn(Schema):
    level: str = Field(..., max_length=15)
    reason: str = NOTE


class ClassSetOut(Schema):
    station_id: int
    level: str
    suggested: str
    reason: str


def _station(request, station_id: RowId):
    station = get_object_or_404(Station.objects.select_related("election"), pk=station_id)
    return get_object_or_404(stations_visible_to(request.auth, station.election), pk=station_id)


@router.get("/checklists/{station_id}", response=list[AnswerOut], summary="A TPS's checklist: every indicator with its answer")
def read_checklist(request, station_id: RowId):
    station = _station(request, station_id)
    rows = []
    for r in checklist_of(request.auth, station):
        answer = r["answer"]
        rows.append(
            {
                "code": r["indicator"].code,
                "variable": r["indicator"].variable.number,
                "text": r["indicator"].text,
                "present": r["present"],
                "note": r["note"],
                "filled_by": answer.filled_by.username if answer and answer.filled_by else None,
                "filled_at": answer.filled_at if answer else None,
                "evidence": bool(answer and answer.evidence),
            }
        )
    return rows


@router.post("/checklists/{station_id}", response=SubmitOut, summary="Submit (part of) a TPS's checklist")
def write_checklist(request, station_id: RowId, payload: ChecklistIn):
    station = _station(request, station_id)
    answers = {a.code: (a.present, a.note.strip()) for a in payload.answers}
    return {"changed": submit_checklist(actor=request.auth, station=station, answers=answers, reason=payload.reason)}


@router.get("/release", response=ReleaseOut, summary="Bawaslu's release over the caller's area")
def read_release(request, election: str = SLUG):
    result = release_for(request.auth, election_by_slug(election))
    return {
        "stations": result.stations,
        "indicators": result.indicators,
        "by_variable": result.by_variable,
        "several_variables": [{"station_id": sid, "variables": numbers} for sid, numbers in result.several_variables],
    }


@router.get("/classes", response=list[ClassOut], summary="Police class per TPS (set or suggested)")
@paginate(BoundedLimitOffset)
def list_classes(request, election: str = SLUG):
    classes = classes_for(request.auth, election_by_slug(election))
    return [{"station_id": sid, "level": level, "source": source} for sid, (level, source) in sorted(classes.items())]


@router.post(
    "/classes/{station_id}", response=ClassSetOut, summary="The police confirm or override a TPS's class (a reason when it differs from the suggestion)"
)
def set_class(request, station_id: RowId, payload: ClassIn):
    station = _station(request, station_id)
    row = set_station_class(actor=request.auth, station=station, level=payload.level, reason=payload.reason)
    suggested = suggestions_for_stations(station.election, [station])[station.pk].level
    return {"station_id": station.pk, "level": row.level, "suggested": suggested, "reason": row.reason}

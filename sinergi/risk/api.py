from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from sinergi.core.pagination import BoundedLimitOffset
from sinergi.elections.queries import election_by_slug
from sinergi.risk.queries import checklist_of, classes_for, release_for
from sinergi.risk.services import submit_checklist
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to

router = Router(tags=["risk"])
SLUG = Query(..., pattern=r"^[a-z0-9-]+$", max_length=60)


class AnswerOut(Schema):
    code: str
    variable: int
    text: str
    present: bool
    note: str


class AnswerIn(Schema):
    code: str
    present: bool
    note: str = ""


class ChecklistIn(Schema):
    answers: list[AnswerIn]
    reason: str = ""


class SubmitOut(Schema):
    changed: int


class IndicatorCountOut(Schema):
    code: str
    variable: int
    text: str
    total: int
    rank: int
    group: str
    by_district: dict[str, int]


class ReleaseOut(Schema):
    stations: int
    indicators: list[IndicatorCountOut]
    by_variable: dict[int, int]


class ClassOut(Schema):
    station_id: int
    level: str
    source: str  # "polisi" when set by the police, "saran" when only suggested


def _station(request, station_id: int):
    station = get_object_or_404(Station.objects.select_related("election"), pk=station_id)
    return get_object_or_404(stations_visible_to(request.auth, station.election), pk=station_id)


@router.get("/checklists/{station_id}", response=list[AnswerOut], summary="A TPS's checklist: every indicator with its answer")
def read_checklist(request, station_id: int):
    station = _station(request, station_id)
    return [
        {"code": r["indicator"].code, "variable": r["indicator"].variable.number, "text": r["indicator"].text, "present": r["present"], "note": r["note"]}
        for r in checklist_of(request.auth, station)
    ]


@router.post("/checklists/{station_id}", response=SubmitOut, summary="Submit (part of) a TPS's checklist")
def write_checklist(request, station_id: int, payload: ChecklistIn):
    station = _station(request, station_id)
    answers = {a.code: (a.present, a.note.strip()) for a in payload.answers}
    return {"changed": submit_checklist(actor=request.auth, station=station, answers=answers, reason=payload.reason)}


@router.get("/release", response=ReleaseOut, summary="Bawaslu's release over the caller's area")
def read_release(request, election: str = SLUG):
    result = release_for(request.auth, election_by_slug(election))
    return {"stations": result.stations, "indicators": result.indicators, "by_variable": result.by_variable}


@router.get("/classes", response=list[ClassOut], summary="Police class per TPS (set or suggested)")
@paginate(BoundedLimitOffset)
def list_classes(request, election: str = SLUG):
    classes = classes_for(request.auth, election_by_slug(election))
    return [{"station_id": sid, "level": level, "source": source} for sid, (level, source) in sorted(classes.items())]

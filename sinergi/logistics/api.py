from datetime import datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sinergi.accounts.permissions import Perm, require
from sinergi.core.pagination import BoundedLimitOffset
from sinergi.core.params import Count, RowId
from sinergi.elections.queries import election_by_slug
from sinergi.logistics.custody import Reported, dispatch, next_parties, party_label, party_labels, record_handover
from sinergi.logistics.models import Consignment, Handover
from sinergi.logistics.requirement_queries import requirement_totals
from sinergi.stations.queries import stations_visible_to

router = Router(tags=["logistics"])
SLUG = Query(..., pattern=r"^[a-z0-9-]+$", max_length=60)


class ItemOut(Schema):
    code: str
    name: str
    unit: str
    for_stations: int
    reserve: int
    total: int


class AreaOut(Schema):
    code: str
    stations: int
    voters: int
    items: dict[str, int]


class RequirementsOut(Schema):
    stations: int
    voters: int
    items: list[ItemOut]
    by_kecamatan: list[AreaOut]
    by_village: list[AreaOut]


@router.get("/requirements", response=RequirementsOut, summary="What the TPS of the caller's area need, with totals per kecamatan and village")
def read_requirements(request, election: str = SLUG):
    result = requirement_totals(request.auth, election_by_slug(election))

    def areas(buckets):
        return [{"code": code, "stations": t.stations, "voters": t.voters, "items": dict(t.items)} for code, t in buckets.items()]

    return {
        "stations": result.total.stations,
        "voters": result.total.voters,
        "items": [
            {"code": i.code, "name": i.name, "unit": i.unit, "for_stations": result.total.items[i.code], "reserve": result.reserves.get(i.code, 0), "total": result.grand_total(i.code)}
            for i in result.items
        ],
        "by_kecamatan": areas(result.by_kecamatan),
        "by_village": areas(result.by_village),
    }


class ConsignmentOut(Schema):
    id: int
    station_id: int
    direction: str
    state: str
    holder: str
    holder_label: str
    contents: dict[str, int]
    seals: list[str]
    next_parties: list[str]


class DispatchIn(Schema):
    seals: list[Annotated[str, Field(max_length=40, pattern=r"^[^\x00]*$")]] = Field(..., max_length=50)


class ReportedIn(Schema):
    kind: str = Field(..., max_length=12)
    item_code: str = Field(..., max_length=40)
    quantity: Annotated[int, Field(ge=1, le=2**31 - 1)]
    note: str = Field("", max_length=300, pattern=r"^[^\x00]*$")


TEXT = Annotated[str, Field(max_length=150, pattern=r"^[^\x00]*$")]


class HandoverIn(Schema):
    from_party: str = Field(..., max_length=40)
    to_party: str = Field(..., max_length=40)
    place: TEXT
    giver_name: Annotated[str, Field(max_length=100, pattern=r"^[^\x00]*$")]
    receiver_name: Annotated[str, Field(max_length=100, pattern=r"^[^\x00]*$")]
    counts: dict[str, Count] | None = None
    seals: list[Annotated[str, Field(max_length=40, pattern=r"^[^\x00]*$")]] | None = None
    handed_at: datetime | None = None
    witness_bawaslu: Annotated[str, Field(max_length=100, pattern=r"^[^\x00]*$")] = ""
    witness_police: Annotated[str, Field(max_length=100, pattern=r"^[^\x00]*$")] = ""
    discrepancies: list[ReportedIn] = Field([], max_length=20)


class HandoverOut(Schema):
    id: int
    sequence: int
    from_party: str
    to_party: str
    place: str
    handed_at: datetime
    counts: dict[str, int]
    seals: list[str]
    discrepancies: list[dict]
    state: str


def _consignment(request, consignment_id: RowId):
    consignment = get_object_or_404(Consignment.objects.select_related("station__village", "election"), pk=consignment_id)
    require(request.auth, Perm.VIEW_LOGISTICS)
    get_object_or_404(stations_visible_to(request.auth, consignment.election), pk=consignment.station_id)
    return consignment


def _out(c: Consignment, labels: dict[str, str] | None = None) -> dict:
    return {
        "id": c.pk, "station_id": c.station_id, "direction": c.direction, "state": c.state, "holder": c.holder,
        "holder_label": (labels or {}).get(c.holder) or party_label(c.holder),
        "contents": c.contents, "seals": c.seals, "next_parties": next_parties(c),
    }  # fmt: skip


@router.get("/consignments", response=list[ConsignmentOut], summary="Consignments (one per TPS and direction) in the caller's area")
@paginate(BoundedLimitOffset)
def list_consignments(request, election: str = SLUG, state: str = Query("", max_length=16)):
    require(request.auth, Perm.VIEW_LOGISTICS)
    target = election_by_slug(election)
    rows = Consignment.objects.filter(election=target, station__in=stations_visible_to(request.auth, target).values("pk")).select_related("station__village")
    if state:
        rows = rows.filter(state=state)
    return _LabelledPage(rows)


class _LabelledPage:
    """What the paginator slices: only the requested page is read from the database and labelled
    (a national list is never loaded whole)."""

    def __init__(self, rows):
        self.rows = rows

    def __len__(self) -> int:
        return self.rows.count()

    def __getitem__(self, page: slice) -> list[dict]:
        consignments = list(self.rows[page])
        labels = party_labels({c.holder for c in consignments})
        return [_out(c, labels) for c in consignments]


@router.get("/consignments/{consignment_id}", response=ConsignmentOut, summary="One consignment: state, holder, contents, who may receive it next")
def read_consignment(request, consignment_id: RowId):
    return _out(_consignment(request, consignment_id))


@router.post("/consignments/{consignment_id}/dispatch", response=ConsignmentOut, summary="KPU loads the kit: seals recorded, the consignment leaves the warehouse")
def dispatch_consignment(request, consignment_id: RowId, payload: DispatchIn):
    return _out(dispatch(actor=request.auth, consignment=_consignment(request, consignment_id), seals=payload.seals))


@router.post(
    "/consignments/{consignment_id}/handovers",
    response={201: HandoverOut},
    summary="Record a handover; 409 with the reason when the giver does not hold it, counts exceed what was dispatched, or it was already delivered",
)
def create_handover(request, consignment_id: RowId, payload: HandoverIn):
    consignment = _consignment(request, consignment_id)
    handover = record_handover(
        actor=request.auth,
        consignment=consignment,
        from_party=payload.from_party,
        to_party=payload.to_party,
        place=payload.place,
        giver_name=payload.giver_name,
        receiver_name=payload.receiver_name,
        counts=payload.counts,
        seals=payload.seals,
        handed_at=payload.handed_at,
        witness_bawaslu=payload.witness_bawaslu,
        witness_police=payload.witness_police,
        reported=[Reported(d.kind, d.item_code, d.quantity, d.note) for d in payload.discrepancies],
        via=Handover.Via.API,
    )
    state = Consignment.objects.values_list("state", flat=True).get(pk=consignment.pk)
    return Status(201, {
        "id": handover.pk, "sequence": handover.sequence, "from_party": handover.from_party, "to_party": handover.to_party, "place": handover.place,
        "handed_at": handover.handed_at, "counts": handover.counts, "seals": handover.seals, "state": state,
        "discrepancies": [{"kind": d.kind, "item_code": d.item_code, "quantity": d.quantity, "note": d.note} for d in handover.discrepancies.all()],
    })  # fmt: skip

"""The joint visits of an election over the caller's area (read only): `GET /api/v1/visits`."""

from datetime import date, time

from django.db.models import Prefetch
from ninja import Query, Router, Schema

from sinergi.elections.queries import election_by_slug
from sinergi.visits.models import VisitStop
from sinergi.visits.queries import visits_for

router = Router(tags=["visits"])


class StopOut(Schema):
    order: int
    station_id: int
    arrives_at: time | None
    recorded: bool
    applied: bool
    suggestion_before: str
    suggestion_after: str


class VisitOut(Schema):
    id: int
    day: date
    kecamatan_code: str
    status: str
    agencies: list[str]
    crossing: str
    out_departure: time | None
    back_departure: time | None
    stops: list[StopOut]


@router.get("", response=list[VisitOut], summary="The joint monitoring visits of the caller's area, by day (times local to the election)")
def list_visits(request, election: str = Query(..., pattern=r"^[a-z0-9-]+$", max_length=60)):
    visits = visits_for(request.auth, election_by_slug(election)).prefetch_related("agencies", Prefetch("stops", VisitStop.objects.order_by("order")))
    return [
        {
            "id": visit.pk,
            "day": visit.day,
            "kecamatan_code": visit.region_id,
            "status": visit.status,
            "agencies": [agency.slug for agency in visit.agencies.all()],
            "crossing": visit.crossing,
            "out_departure": visit.out_departure,
            "back_departure": visit.back_departure,
            "stops": [
                {
                    "order": stop.order,
                    "station_id": stop.station_id,
                    "arrives_at": stop.arrives_at,
                    "recorded": stop.recorded_at is not None,
                    "applied": stop.applied_at is not None,
                    "suggestion_before": stop.suggestion_before,
                    "suggestion_after": stop.suggestion_after,
                }
                for stop in visit.stops.all()
            ],
        }
        for visit in visits
    ]

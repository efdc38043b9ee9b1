from ninja import Query, Router, Schema

from sinergi.elections.queries import election_by_slug
from sinergi.logistics.queries import requirements_for

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
    by_district: list[AreaOut]
    by_village: list[AreaOut]


@router.get("/requirements", response=RequirementsOut, summary="What the TPS of the caller's area need, with totals per kecamatan and village")
def read_requirements(request, election: str = SLUG):
    result = requirements_for(request.auth, election_by_slug(election))

    def areas(buckets):
        return [{"code": code, "stations": t.stations, "voters": t.voters, "items": dict(t.items)} for code, t in buckets.items()]

    return {
        "stations": result.total.stations,
        "voters": result.total.voters,
        "items": [
            {"code": i.code, "name": i.name, "unit": i.unit, "for_stations": result.total.items[i.code], "reserve": result.reserves.get(i.code, 0), "total": result.grand_total(i.code)}
            for i in result.items
        ],
        "by_district": areas(result.by_district),
        "by_village": areas(result.by_village),
    }

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from sinergi.core.pagination import BoundedLimitOffset
from sinergi.elections.queries import election_by_slug
from sinergi.regions.queries import villages_within
from sinergi.stations.queries import stations_visible_to

router = Router(tags=["stations"])


class StationOut(Schema):
    id: int
    election: str
    kecamatan_code: str
    kecamatan_name: str
    village_code: str
    village_name: str
    number: int
    place: str
    latitude: float | None
    longitude: float | None
    voters: int
    access: str
    crossing: str
    is_special_location: bool
    location_estimated: bool

    @staticmethod
    def resolve_election(obj):
        return obj.election.slug

    @staticmethod
    def resolve_kecamatan_code(obj):
        return obj.village.parent_id

    @staticmethod
    def resolve_kecamatan_name(obj):
        return obj.village.parent.name

    @staticmethod
    def resolve_village_code(obj):
        return obj.village_id

    @staticmethod
    def resolve_village_name(obj):
        return obj.village.name


@router.get("", response=list[StationOut], summary="TPS within the caller's area")
@paginate(BoundedLimitOffset)
def list_stations(
    request,
    election: str = Query("", pattern=r"^[a-z0-9-]*$", max_length=60),
    region: str = Query("", pattern=r"^[0-9.]*$", max_length=13),
):
    """`election`: an election slug; `region`: a Kemendagri code (kecamatan or village) to narrow to."""
    target = election_by_slug(election) if election else None
    queryset = stations_visible_to(request.auth, target)
    if region:
        queryset = queryset.filter(villages_within("village__code", region))
    return queryset.order_by("election_id", "village_id", "number")

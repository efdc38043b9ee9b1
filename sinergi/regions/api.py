from ninja import Query, Router, Schema
from ninja.pagination import paginate

from sinergi.accounts.permissions import Perm, require
from sinergi.core.pagination import BoundedLimitOffset
from sinergi.regions.queries import regions_within, within

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    parent_id: str | None
    level: int
    kind: str
    name: str
    centroid_lat: float | None
    centroid_lon: float | None


@router.get("", response=list[RegionOut], summary="Regions within the caller's area")
@paginate(BoundedLimitOffset)
def list_regions(request, region: str = Query("", pattern=r"^[0-9.]*$", max_length=13), level: int | None = Query(None, ge=1, le=4)):
    """`region`: only this region's subtree; `level`: 1 province, 2 regency, 3 kecamatan, 4 village."""
    require(request.auth, Perm.VIEW_STATIONS)
    queryset = regions_within(request.auth.area_code, level=level)
    return queryset.filter(within("code", region)) if region else queryset

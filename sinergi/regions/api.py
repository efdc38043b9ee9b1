from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from sinergi.accounts.permissions import Perm, require
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
@paginate(LimitOffsetPagination)
def list_regions(request, region: str = "", level: int | None = None):
    """`region`: only this region's subtree; `level`: 1 province, 2 regency, 3 kecamatan, 4 village."""
    require(request.auth, Perm.VIEW_STATIONS)
    queryset = regions_within(request.auth.area_code, level=level)
    return queryset.filter(within("code", region)) if region else queryset

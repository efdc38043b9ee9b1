"""The logistics requirements per region one level down, for a viewer wider than a district (per
province for the whole country, per district for a province): each region's TPS, voters and kit
with the reserves of its districts, and the area's total; each row opening the region
(`?wilayah=`, situation/drilldown.py) down to a district's own page, per kecamatan and village.

**Summed by the database per region** (one `GROUP BY` the village code's prefix, the ballots with
the reserve rounded up per TPS summed as integers as `requirement_queries.requirement_totals`
does), then the kit of `requirements.from_village_sums` over those sums: never a row per TPS or per
village in Python, and a fixed number of queries whatever the number of regions.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Count, ExpressionWrapper, F, Sum, Value
from django.db.models.functions import Substr

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.elections.models import Election
from sinergi.logistics import requirements
from sinergi.logistics.models import Reserve
from sinergi.logistics.requirement_queries import items_of
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import within
from sinergi.stations.queries import stations_visible_to


@dataclass
class DistrictTotals:
    """A row: a province or a district."""

    code: str
    name: str
    stations: int = 0
    voters: int = 0
    items: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # for the TPS and the region's reserves


@dataclass
class RegionRequirements:
    level: int  # of the rows: codes.PROVINCE or DISTRICT
    result: requirements.Requirements  # the area's totals and reserves (`by_village` holds the regions' sums)
    rows: list[DistrictTotals]

    def counts(self) -> list[tuple[DistrictTotals, list[int]]]:
        """(row, its kit with its reserves, in the kit's order)."""
        return [(row, [row.items[item.code] for item in self.result.items]) for row in self.rows]


def child_level(user: User) -> int | None:
    area = user.area_code
    if area is None:
        return codes.PROVINCE
    return codes.DISTRICT if codes.is_valid(area) and codes.level_of(area) == codes.PROVINCE else None


def is_wide(user: User) -> bool:
    return child_level(user) is not None


def requirements_by_region(user: User, election: Election) -> RegionRequirements | None:
    """The requirements of the viewer's area per region one level down; None for a district or
    narrower viewer (their page is per kecamatan and village)."""
    require(user, Perm.VIEW_LOGISTICS)
    level = child_level(user)
    if level is None:
        return None
    width = codes.width_of(level)
    area = user.area_code
    visible = stations_visible_to(user, election)
    hundredths = requirements.reserve_hundredths(election.ballot_reserve_percent)
    # ballots_with_reserve per TPS, in integers: voters + ceil(voters * hundredths / 10000).
    ballots = ExpressionWrapper(F("voters") + (F("voters") * Value(hundredths) + Value(9999)) / Value(10_000), output_field=BigIntegerField())
    sums = visible.order_by().annotate(g=Substr("village", 1, width)).values("g").annotate(n=Count("id"), v=Sum("voters"), b=Sum(ballots)).values_list("g", "n", "v", "b")
    per_region = (requirements.VillageSums(code, code, n, v or 0, b or 0) for code, n, v, b in sums)
    reserves: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for region, item, quantity in Reserve.objects.filter(within("region__code", area), election=election).values_list("region_id", "item__code", "quantity"):
        reserves[region[:width]][item] += quantity
    area_reserves: dict[str, int] = defaultdict(int)
    for held in reserves.values():
        for item, quantity in held.items():
            area_reserves[item] += quantity
    result = requirements.from_village_sums(per_region, items_of(election), dict(area_reserves))
    rows = []
    for code, name in Region.objects.filter(within("code", area), level=level).order_by("code").values_list("code", "name"):
        row, totals = DistrictTotals(code, name), result.by_village.get(code)
        if totals is not None:
            row.stations, row.voters = totals.stations, totals.voters
            for item, count in totals.items.items():
                row.items[item] += count
        for item, quantity in reserves.get(code, {}).items():
            row.items[item] += quantity
        rows.append(row)
    return RegionRequirements(level, result, rows)

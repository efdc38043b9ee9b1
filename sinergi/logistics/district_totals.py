"""The logistics requirements per district, for a viewer wider than a district (a province or the
whole country): each district's TPS, voters and kit with that district's own reserves, from the
same single computation of `requirement_queries.requirements_for` (its totals per kecamatan summed
by district) plus one query of the reserves per district. Empty for a district or narrower viewer."""

from collections import defaultdict
from dataclasses import dataclass, field

from sinergi.accounts.models import User
from sinergi.elections.models import Election
from sinergi.logistics.models import Reserve
from sinergi.logistics.requirements import Requirements
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import within


@dataclass
class DistrictTotals:
    code: str
    name: str
    stations: int = 0
    voters: int = 0
    items: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # for the TPS and the district's reserves


def is_wide(user: User) -> bool:
    return user.area_code is None or codes.level_of(user.area_code) < codes.DISTRICT


def district_totals(user: User, election: Election, result: Requirements) -> dict:
    """`districts` (DistrictTotals in code order) and `district_counts` (per district, the item
    counts in the kit's order) for the requirements page; {} for a district or narrower viewer."""
    if not is_wide(user):
        return {}
    found: dict[str, DistrictTotals] = {}
    for kecamatan, totals in result.by_kecamatan.items():
        district = found.setdefault(codes.district_of(kecamatan), DistrictTotals(codes.district_of(kecamatan), ""))
        district.stations += totals.stations
        district.voters += totals.voters
        for code, count in totals.items.items():
            district.items[code] += count
    reserves = Reserve.objects.filter(within("region__code", user.area_code), election=election).values_list("region_id", "item__code", "quantity")
    for region, item, quantity in reserves:
        if codes.level_of(region) >= codes.DISTRICT:
            found.setdefault(codes.district_of(region), DistrictTotals(codes.district_of(region), "")).items[item] += quantity
    names = dict(Region.objects.filter(code__in=list(found)).values_list("code", "name"))
    districts = [found[code] for code in sorted(found)]
    for district in districts:
        district.name = names.get(district.code, district.code)
    return {"districts": districts, "district_counts": [(d, [d.items[i.code] for i in result.items]) for d in districts]}

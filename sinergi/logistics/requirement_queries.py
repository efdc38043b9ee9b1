"""The kit of an election and what the TPS of the user's area need (scoped reads). Below the chain
of custody, which fills the consignments it makes from them (`custody.create_consignments`)."""

from collections.abc import Iterator

from django.db.models import BigIntegerField, Count, ExpressionWrapper, F, QuerySet, Sum, Value

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.elections.models import Election
from sinergi.logistics import requirements
from sinergi.logistics.models import KitItem, Reserve
from sinergi.logistics.presets import standard_kit
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import villages_within, within
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to


def kit_of(election: Election) -> list[KitItem]:
    """The election's stored kit, or (none stored yet) the standard kit, unsaved."""
    stored = list(KitItem.objects.filter(election=election).select_related("ballot_type"))
    if stored:
        return stored
    return [KitItem(election=election, **row) for row in standard_kit(election)]


def short_name(item: KitItem) -> str:
    """A column heading: "SS DPR" for the DPR ballots, the name without its explanation otherwise."""
    if item.ballot_type_id is not None:
        return f"SS {item.ballot_type.code.upper()}"
    return item.name.split(" (")[0]


def items_of(election: Election) -> list[requirements.Item]:
    return [requirements.Item(k.code, k.name, k.unit, k.basis, k.quantity, short_name(k)) for k in kit_of(election)]


def _scope(user: User, election: Election, within_area: str) -> QuerySet[Station]:
    require(user, Perm.VIEW_LOGISTICS)
    visible = stations_visible_to(user, election)
    if within_area:
        visible = visible.filter(villages_within("village__code", within_area))
    return visible


def _reserves(user: User, election: Election, within_area: str) -> dict[str, int]:
    reserves: dict[str, int] = {}
    for code, quantity in Reserve.objects.filter(within("region__code", within_area or user.area_code), election=election).values_list("item__code", "quantity"):
        reserves[code] = reserves.get(code, 0) + quantity
    return reserves


def requirements_for(user: User, election: Election, within_area: str = "") -> requirements.Requirements:
    """What every TPS the user may see needs, with totals; the reserves of the districts within
    the user's area (a kecamatan user sees no district reserve). `within_area` narrows it to a
    region inside the user's area (one district: `logistics-requirements --district`). Holds a
    row per TPS (`per_station`, the consignments'); `requirement_totals` gives the totals alone."""
    visible = _scope(user, election, within_area)
    rows = visible.values_list("id", "village_id", "voters").iterator(chunk_size=10000)
    stations = (requirements.StationInput(sid, village, codes.kecamatan_of(village), voters) for sid, village, voters in rows)
    return requirements.compute(stations, items_of(election), election.ballot_reserve_percent, _reserves(user, election, within_area))


def requirement_totals(user: User, election: Election, within_area: str = "") -> requirements.Requirements:
    """`requirements_for`'s totals (per village, kecamatan and over the area, with the reserves)
    summed by the database per village (one GROUP BY), without a row per TPS: what pages,
    documents, the API and exports read at any size."""
    visible = _scope(user, election, within_area)
    hundredths = requirements.reserve_hundredths(election.ballot_reserve_percent)
    # ballots_with_reserve per TPS, in integers: voters + ceil(voters * hundredths / 10000).
    ballots = ExpressionWrapper(F("voters") + (F("voters") * Value(hundredths) + Value(9999)) / Value(10_000), output_field=BigIntegerField())
    sums = visible.order_by().values("village_id").annotate(n=Count("id"), v=Sum("voters"), b=Sum(ballots)).values_list("village_id", "n", "v", "b")
    villages = (requirements.VillageSums(code, codes.kecamatan_of(code), n, v, b) for code, n, v, b in sums.iterator(chunk_size=10000))
    return requirements.from_village_sums(villages, items_of(election), _reserves(user, election, within_area))


def station_rows(user: User, election: Election, within_area: str = "") -> Iterator[tuple]:
    """(kecamatan code, kecamatan name, village code, village name, TPS number, voters) of every
    TPS of the area in code order, read from a cursor as they are consumed (the exports)."""
    visible = _scope(user, election, within_area).order_by("village_id", "number")
    columns = ("village__parent_id", "village__parent__name", "village_id", "village__name", "number", "voters")
    return visible.values_list(*columns).iterator(chunk_size=5000)


def area_names(user: User, within_area: str = "") -> dict[str, str]:
    """Region code -> name for every kecamatan and village of the area (the exports' names), in
    one query of the region table's key range."""
    area = within_area or user.area_code
    return dict(Region.objects.filter(within("code", area), level__in=(codes.KECAMATAN, codes.VILLAGE)).values_list("code", "name").iterator(chunk_size=10000))

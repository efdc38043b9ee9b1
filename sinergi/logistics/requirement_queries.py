"""The kit of an election and what the TPS of the user's area need (scoped reads). Below the chain
of custody, which fills the consignments it makes from them (`custody.create_consignments`)."""

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.elections.models import Election
from sinergi.logistics import requirements
from sinergi.logistics.models import KitItem, Reserve
from sinergi.logistics.presets import standard_kit
from sinergi.regions import codes
from sinergi.regions.queries import villages_within, within
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


def requirements_for(user: User, election: Election, within_area: str = "") -> requirements.Requirements:
    """What every TPS the user may see needs, with totals; the reserves of the districts within
    the user's area (a kecamatan user sees no district reserve). `within_area` narrows it to a
    region inside the user's area (one district: `logistics-requirements --district`)."""
    require(user, Perm.VIEW_LOGISTICS)
    kit = kit_of(election)
    items = [requirements.Item(k.code, k.name, k.unit, k.basis, k.quantity, short_name(k)) for k in kit]
    visible = stations_visible_to(user, election)
    if within_area:
        visible = visible.filter(villages_within("village__code", within_area))
    rows = visible.values_list("id", "village_id", "voters").iterator(chunk_size=10000)
    stations = (requirements.StationInput(sid, village, codes.kecamatan_of(village), voters) for sid, village, voters in rows)
    reserves: dict[str, int] = {}
    for code, quantity in Reserve.objects.filter(within("region__code", within_area or user.area_code), election=election).values_list("item__code", "quantity"):
        reserves[code] = reserves.get(code, 0) + quantity
    return requirements.compute(stations, items, election.ballot_reserve_percent, reserves)

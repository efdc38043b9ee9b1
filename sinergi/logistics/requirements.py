"""What each TPS needs, and the totals per village and kecamatan and over the area, with the reserves
the districts (kabupaten/kota) hold. No Django import.

Ballots of each type = voters + the election's reserve, the reserve rounded up per TPS
(Pemilu 2%: 250 voters -> 255; Pilkada 2.5%: 526 voters -> 540). Every other item is a fixed
count per TPS. The arithmetic is on integers (hundredths of a percent), never on floats.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

VOTERS, FIXED = "pemilih", "tetap"


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    unit: str
    basis: str  # VOTERS or FIXED
    quantity: int = 0  # per TPS, for FIXED
    short: str = ""  # a column heading ("SS DPR", "Kotak suara")


@dataclass(frozen=True)
class StationInput:
    id: int
    village_code: str
    kecamatan_code: str
    voters: int


def reserve_hundredths(reserve_percent: Decimal) -> int:
    """The reserve in hundredths of a percent (2% -> 200); refuses anything finer or negative."""
    hundredths = int(Decimal(reserve_percent) * 100)
    if hundredths != Decimal(reserve_percent) * 100 or hundredths < 0:
        raise ValueError(f"reserve percent must be non-negative with at most two decimals: {reserve_percent}")
    return hundredths


def ballots_with_reserve(voters: int, reserve_percent: Decimal) -> int:
    """Voters plus the reserve, rounded up for this TPS. A database sums the same thing as
    `voters + (voters * hundredths + 9999) / 10000` in integers (`requirement_queries`)."""
    return voters + -(-voters * reserve_hundredths(reserve_percent) // 10_000)


def station_needs(voters: int, items: list[Item], reserve_percent: Decimal) -> dict[str, int]:
    ballots = ballots_with_reserve(voters, reserve_percent)
    return {item.code: ballots if item.basis == VOTERS else item.quantity for item in items}


@dataclass
class Totals:
    """Per item, summed over TPS."""

    stations: int = 0
    voters: int = 0
    items: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, voters: int, needs: dict[str, int]) -> None:
        self.stations += 1
        self.voters += voters
        for code, count in needs.items():
            self.items[code] += count


@dataclass
class Requirements:
    items: list[Item]
    per_station: dict[int, dict[str, int]]
    by_village: dict[str, Totals]
    by_kecamatan: dict[str, Totals]
    total: Totals
    reserves: dict[str, int]  # item code -> held at the district

    def grand_total(self, code: str) -> int:
        """TPS kits plus the district's reserve."""
        return self.total.items.get(code, 0) + self.reserves.get(code, 0)


def compute(stations: Iterable[StationInput], items: list[Item], reserve_percent: Decimal, reserves: dict[str, int] | None = None) -> Requirements:
    per_station, by_village, by_kecamatan, total = {}, defaultdict(Totals), defaultdict(Totals), Totals()
    for station in stations:
        needs = station_needs(station.voters, items, reserve_percent)
        per_station[station.id] = needs
        for bucket in (by_village[station.village_code], by_kecamatan[station.kecamatan_code], total):
            bucket.add(station.voters, needs)
    return Requirements(
        items=items,
        per_station=per_station,
        by_village=dict(sorted(by_village.items())),
        by_kecamatan=dict(sorted(by_kecamatan.items())),
        total=total,
        reserves=dict(reserves or {}),
    )


@dataclass(frozen=True)
class VillageSums:
    """The TPS of one village summed by the database: how many, their voters, and their ballots
    with the reserve rounded up per TPS (`ballots_with_reserve` summed)."""

    village_code: str
    kecamatan_code: str
    stations: int
    voters: int
    ballots: int


def from_village_sums(villages: Iterable[VillageSums], items: list[Item], reserves: dict[str, int] | None = None) -> Requirements:
    """The totals of `compute` (per village, per kecamatan, over the area) from sums per village,
    without a row per TPS: `per_station` stays empty."""
    by_village, by_kecamatan, total = {}, defaultdict(Totals), Totals()
    for village in villages:
        needs = {item.code: village.ballots if item.basis == VOTERS else item.quantity * village.stations for item in items}
        totals = by_village[village.village_code] = Totals()
        for bucket in (totals, by_kecamatan[village.kecamatan_code], total):
            bucket.stations += village.stations
            bucket.voters += village.voters
            for code, count in needs.items():
                bucket.items[code] += count
    return Requirements(
        items=items,
        per_station={},
        by_village=dict(sorted(by_village.items())),
        by_kecamatan=dict(sorted(by_kecamatan.items())),
        total=total,
        reserves=dict(reserves or {}),
    )

"""Grouping TPS into police guard posts by a formation. No Django import.

A formation says, per police class, how many police guard how many TPS together with how many
Linmas (e.g. kurang rawan 2 : 4 : 12). The planner forms **posts**:

- a post holds TPS of one class only, at most the formation's TPS count;
- it stays within one Polsek's area and one island: it never crosses the sea (a Polsek's area is
  its kecamatan, with those it covers when it covers several: `kecamatan_code` below);
- it prefers one village: each village's TPS are cut into full posts first, walking from TPS to
  nearest TPS; what is left over in the villages of a Polsek's area is then grouped greedily, each
  post taking the nearest remaining TPS (same village first);
- each post gets the formation's police and Linmas.

Deterministic: the same input gives the same posts, numbered in Polsek (kecamatan code), class and village order.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sinergi.core.geo import distance_m

LEVEL_ORDER = ("sangat_rawan", "khusus", "rawan", "kurang_rawan")


@dataclass(frozen=True)
class PlanStation:
    id: int
    level: str
    village_code: str
    kecamatan_code: str  # the Polsek's unit: the kecamatan of the Polsek that guards this TPS
    island: str  # the landmass; TPS on different islands never share a post
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class PostRule:
    police: int
    stations: int
    linmas: int


@dataclass
class Post:
    number: int
    level: str
    kecamatan_code: str
    island: str
    station_ids: list[int]
    police: int
    linmas: int


@dataclass
class KecamatanTotals:
    kecamatan_code: str
    posts: int = 0
    stations: int = 0
    police: int = 0
    linmas: int = 0
    available_police: int = 0
    shortage: int = 0


@dataclass
class Plan:
    posts: list[Post]
    kecamatans: list[KecamatanTotals] = field(default_factory=list)

    @property
    def police(self) -> int:
        return sum(p.police for p in self.posts)

    @property
    def linmas(self) -> int:
        return sum(p.linmas for p in self.posts)


def _distance(a: PlanStation, b: PlanStation) -> float:
    if a.lat is None or b.lat is None:
        return 1e12  # no point: farther than anything with one
    return distance_m(a.lat, a.lon, b.lat, b.lon)


def _walk(stations: list[PlanStation]) -> list[PlanStation]:
    """Order a village's TPS as a nearest-neighbour walk from its first (by id)."""
    remaining = sorted(stations, key=lambda s: s.id)
    path = [remaining.pop(0)]
    while remaining:
        here = path[-1]
        nearest = min(range(len(remaining)), key=lambda i: (_distance(here, remaining[i]), remaining[i].id))
        path.append(remaining.pop(nearest))
    return path


def _group_leftovers(leftovers: list[PlanStation], size: int) -> list[list[PlanStation]]:
    groups = []
    pool = sorted(leftovers, key=lambda s: (s.village_code, s.id))
    while pool:
        group = [pool.pop(0)]
        while pool and len(group) < size:
            nearest = min(
                range(len(pool)),
                key=lambda i: (pool[i].village_code != group[0].village_code, min(_distance(m, pool[i]) for m in group), pool[i].id),
            )
            group.append(pool.pop(nearest))
        groups.append(group)
    return groups


def plan_posts(stations: Iterable[PlanStation], rules: dict[str, PostRule], available_police: dict[str, int] | None = None) -> Plan:
    """Posts for `stations` under `rules` (class -> PostRule); totals per Polsek (the kecamatan code
    of its seat) against the police available there (`available_police`, that code -> officers,
    reinforcements included). Raises KeyError naming a class that has no rule."""
    cells: dict[tuple[str, str, str], list[PlanStation]] = defaultdict(list)
    for station in stations:
        if station.level not in rules:
            raise KeyError(f"no formation rule for class {station.level!r}")
        cells[(station.kecamatan_code, station.island, station.level)].append(station)
    order = {level: n for n, level in enumerate(LEVEL_ORDER)}
    posts: list[Post] = []
    for district, island, level in sorted(cells, key=lambda k: (k[0], k[1], order.get(k[2], 99), k[2])):
        rule = rules[level]
        by_village: dict[str, list[PlanStation]] = defaultdict(list)
        for station in cells[(district, island, level)]:
            by_village[station.village_code].append(station)
        groups, leftovers = [], []
        for village in sorted(by_village):
            walk = _walk(by_village[village])
            full = len(walk) - len(walk) % rule.stations
            groups += [walk[i : i + rule.stations] for i in range(0, full, rule.stations)]
            leftovers += walk[full:]
        groups += _group_leftovers(leftovers, rule.stations)
        for group in groups:
            posts.append(Post(len(posts) + 1, level, district, island, [s.id for s in group], rule.police, rule.linmas))
    return Plan(posts=posts, kecamatans=kecamatan_totals(posts, available_police or {}))


def kecamatan_totals(posts: list[Post], available_police: dict[str, int]) -> list[KecamatanTotals]:
    """Posts, TPS, police and Linmas per Polsek (the kecamatan code of its seat), with the shortage
    against the police there."""
    totals: dict[str, KecamatanTotals] = {}
    for post in posts:
        entry = totals.setdefault(post.kecamatan_code, KecamatanTotals(post.kecamatan_code))
        entry.posts += 1
        entry.stations += len(post.station_ids)
        entry.police += post.police
        entry.linmas += post.linmas
    for code, entry in totals.items():
        entry.available_police = available_police.get(code, 0)
        entry.shortage = max(0, entry.police - entry.available_police)
    return [totals[c] for c in sorted(totals)]

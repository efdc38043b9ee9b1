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

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from sinergi.core.geo import EARTH_RADIUS_M

LEVEL_ORDER = ("sangat_rawan", "khusus", "rawan", "kurang_rawan")


class PlanStation(NamedTuple):
    """A TPS as the planner sees it (a named tuple: 820,161 of them are made for a national plan,
    at less than half a frozen dataclass's cost)."""

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


# The haversine of `geo.distance_m`, with what depends on one TPS only (its latitude in radians
# and the cosine of that) worked out once per TPS: the same operations on the same values, so
# every distance is bit-identical to `distance_m`'s (tested) and the plans are unchanged.
_DIAMETER_M = 2 * EARTH_RADIUS_M
_NO_POINT_M = 1e12  # a TPS without a point: farther than anything with one


def _point(station: PlanStation) -> tuple[PlanStation, float | None, float, float]:
    """(station, latitude in radians or None without a point, its cosine, longitude)."""
    if station.lat is None:
        return station, None, 0.0, 0.0
    p = math.radians(station.lat)
    return station, p, math.cos(p), station.lon


def _distances(a: tuple, points: list[tuple]) -> list[float]:
    """`distance_m` from the point `a` to each of `points` (both from `_point`), a first."""
    _, p1, c1, lon1 = a
    if p1 is None:
        return [_NO_POINT_M] * len(points)
    sin, asin, sqrt, radians = math.sin, math.asin, math.sqrt, math.radians
    return [
        _NO_POINT_M if p2 is None else _DIAMETER_M * asin(sqrt(sin((p2 - p1) / 2) ** 2 + c1 * c2 * sin(radians(lon2 - lon1) / 2) ** 2))
        for _, p2, c2, lon2 in points
    ]


def _walk(stations: list[PlanStation]) -> list[PlanStation]:
    """Order a village's TPS as a nearest-neighbour walk from its first (by id): each step goes to
    the nearest TPS left, the lowest id among equally near ones."""
    remaining = [_point(s) for s in sorted(stations, key=lambda s: s.id)]
    here = remaining.pop(0)
    path = [here[0]]
    while remaining:
        # `remaining` stays in id order: the first of the nearest is the lowest id.
        distances = _distances(here, remaining)
        here = remaining.pop(distances.index(min(distances)))
        path.append(here[0])
    return path


def _group_leftovers(leftovers: list[PlanStation], size: int) -> list[list[PlanStation]]:
    """Greedy posts of `size`: each starts at the first TPS left (village, id order) and takes, one
    at a time, the TPS nearest to any of its members (same village first, then the lowest id). The
    distance of each TPS left to the post is kept as a running minimum, updated with the member
    just added only."""
    groups = []
    pool = [_point(s) for s in sorted(leftovers, key=lambda s: (s.village_code, s.id))]
    while pool:
        first = pool.pop(0)
        group = [first[0]]
        village = first[0].village_code
        nearest = _distances(first, pool)
        while pool and len(group) < size:
            pick = min(range(len(pool)), key=lambda i: (pool[i][0].village_code != village, nearest[i], pool[i][0].id))
            added = pool.pop(pick)
            del nearest[pick]
            group.append(added[0])
            if pool and len(group) < size:
                nearest = [d if d <= e else e for d, e in zip(nearest, _distances(added, pool), strict=True)]
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

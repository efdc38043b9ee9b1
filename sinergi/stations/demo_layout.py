"""Generate the demo district's TPS: counts, voters and points. No Django import.

Everything here is an estimate for demonstration, and marked so: KPU's real per-TPS list is not
in our sources. The generator is deterministic for a given seed and guarantees the published
totals exactly (number of TPS per kecamatan, total voters, the per-TPS voter limit).
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass

from sinergi.core.geo import contains, random_point_inside


@dataclass(frozen=True)
class VillageSpec:
    code: str
    name: str
    kecamatan_code: str
    geometry: dict
    interior: tuple[float, float]


@dataclass(frozen=True)
class DemoStation:
    village_code: str
    number: int
    place: str
    latitude: float
    longitude: float
    voters: int


def allocate(total: int, weights: Sequence[float], minimums: Sequence[int] | None = None) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder), each at least
    its minimum. Raises ValueError when the minimums alone exceed the total."""
    minimums = list(minimums) if minimums is not None else [0] * len(weights)
    spare = total - sum(minimums)
    if spare < 0:
        raise ValueError("minimums exceed the total")
    weight_sum = float(sum(weights))
    exact = [spare * w / weight_sum for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (exact[i] - shares[i], -i), reverse=True)
    for i in by_remainder[: spare - sum(shares)]:
        shares[i] += 1
    return [m + s for m, s in zip(minimums, shares, strict=True)]


def spread_voters(count: int, total: int, maximum: int, rng: random.Random) -> list[int]:
    """`count` voter numbers summing exactly to `total`, each in [1, maximum], drawn around the mean."""
    if count * maximum < total or total < count:
        raise ValueError("the total cannot be spread within the limits")
    mean = total / count
    low = max(1, round(2 * mean - maximum))
    values = [rng.randint(low, maximum) for _ in range(count)]
    gap = total - sum(values)
    order = list(range(count))
    rng.shuffle(order)
    step = 1 if gap > 0 else -1
    while gap:
        moved = False
        for i in order:
            if gap == 0:
                break
            if 1 <= values[i] + step <= maximum:
                values[i] += step
                gap -= step
                moved = True
        if not moved:  # pragma: no cover - excluded by the check above
            raise ValueError("the total cannot be spread within the limits")
    return values


def generate(
    villages: Sequence[VillageSpec],
    *,
    stations_per_kecamatan: dict[str, int],
    total_voters: int,
    max_voters: int,
    seed: str,
    minimum_per_village: dict[str, int] | None = None,
    named_places: dict[tuple[str, int], str] | None = None,
) -> list[DemoStation]:
    """Lay out the demo TPS.

    Each kecamatan gets exactly its count, spread over its villages with random weights (at
    least one per village, or the given minimum); voters sum to `total_voters` with none above
    `max_voters`; each point is drawn inside the village polygon.
    """
    rng = random.Random(seed)
    minimum_per_village = minimum_per_village or {}
    named_places = named_places or {}
    counts: dict[str, int] = {}
    for kecamatan, kecamatan_total in sorted(stations_per_kecamatan.items()):
        members = sorted((v for v in villages if v.kecamatan_code == kecamatan), key=lambda v: v.code)
        weights = [rng.uniform(0.7, 1.3) for _ in members]
        minimums = [minimum_per_village.get(v.code, 1) for v in members]
        for village, count in zip(members, allocate(kecamatan_total, weights, minimums), strict=True):
            counts[village.code] = count
    by_code = {v.code: v for v in villages}
    voters = spread_voters(sum(counts.values()), total_voters, max_voters, rng)
    stations = []
    named_points: dict[tuple[str, str], tuple[float, float]] = {}
    for code in sorted(counts):
        village = by_code[code]
        for number in range(1, counts[code] + 1):
            lat, lon = _point_in(village, rng)
            place = named_places.get((code, number))
            if place is not None:
                # TPS sharing a named place (TPS 17 and 18 at one bale banjar) share its point.
                lat, lon = named_points.setdefault((code, place), (lat, lon))
            else:
                place = f"{village.name} (lokasi perkiraan)"
            stations.append(DemoStation(code, number, place, round(lat, 6), round(lon, 6), voters[len(stations)]))
    return stations


def _point_in(village: VillageSpec, rng: random.Random) -> tuple[float, float]:
    lat, lon = random_point_inside(village.geometry, rng)
    # Rounding to 6 decimals moves a point by < 0.1 m; keep it only if it is still inside.
    if contains(village.geometry, round(lat, 6), round(lon, 6)):
        return lat, lon
    return village.interior

"""The guard planner: property tests of its invariants, and small cases by hand."""

import random
from collections import Counter, defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.core.geo import distance_m
from sinergi.guard.planning import LEVEL_ORDER, PlanStation, Post, PostRule, _distances, _point, plan_posts

RULES = {"kurang_rawan": PostRule(2, 4, 12), "rawan": PostRule(2, 2, 4), "sangat_rawan": PostRule(2, 1, 2), "khusus": PostRule(2, 1, 2)}

station_strategy = st.builds(
    lambda i, level, village, island, lat, lon: PlanStation(i, level, f"51.05.0{village // 10 + 1}.20{village:02d}", f"51.05.0{village // 10 + 1}", island, lat, lon),
    st.integers(),
    st.sampled_from(list(RULES)),
    st.integers(min_value=0, max_value=29),
    st.sampled_from(["daratan", "RoRo", "perahu"]),
    st.floats(min_value=-8.8, max_value=-8.4),
    st.floats(min_value=115.2, max_value=115.6),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(station_strategy, max_size=120, unique_by=lambda s: s.id))
def test_every_tps_in_exactly_one_post_that_never_mixes_or_overflows(stations):
    plan = plan_posts(stations, RULES, {"51.05.01": 10})
    placed = Counter(sid for post in plan.posts for sid in post.station_ids)
    assert set(placed) == {s.id for s in stations} and set(placed.values()) <= {1}
    by_id = {s.id: s for s in stations}
    for post in plan.posts:
        members = [by_id[sid] for sid in post.station_ids]
        assert {m.level for m in members} == {post.level}
        assert {m.kecamatan_code for m in members} == {post.kecamatan_code}
        assert {m.island for m in members} == {post.island}  # never across the sea
        assert 1 <= len(members) <= RULES[post.level].stations
        assert (post.police, post.linmas) == (RULES[post.level].police, RULES[post.level].linmas)
    assert sum(d.police for d in plan.kecamatans) == plan.police == sum(p.police for p in plan.posts)
    assert sum(d.stations for d in plan.kecamatans) == len(stations)
    assert [p.number for p in plan.posts] == list(range(1, len(plan.posts) + 1))


def test_same_village_first_then_nearest_leftovers_in_the_kecamatan():
    def tps(i, village, lat):
        return PlanStation(i, "kurang_rawan", f"51.05.02.{village}", "51.05.02", "daratan", lat, 115.3)

    # Village A has 5 TPS (one full post of 4 + 1 left), B has 2, C (far away) has 1.
    stations = [tps(i, "2001", -8.50 - i * 0.001) for i in range(1, 6)] + [tps(6, "2002", -8.51), tps(7, "2002", -8.511), tps(8, "2003", -8.70)]
    posts = plan_posts(stations, RULES).posts
    assert [sorted(p.station_ids) for p in posts] == [[1, 2, 3, 4], [5, 6, 7, 8]]


def test_a_class_without_a_rule_is_named():
    import pytest

    with pytest.raises(KeyError, match="khusus"):
        plan_posts([PlanStation(1, "khusus", "51.05.02.2001", "51.05.02", "daratan", None, None)], {"rawan": PostRule(2, 2, 4)})


def test_shortage_is_what_the_posts_need_beyond_the_available_police():
    stations = [PlanStation(i, "sangat_rawan", "51.05.01.2010", "51.05.01", "RoRo", -8.7, 115.5) for i in range(5)]
    totals = plan_posts(stations, RULES, {"51.05.01": 6}).kecamatans
    assert (totals[0].posts, totals[0].police, totals[0].linmas, totals[0].shortage) == (5, 10, 10, 4)


# The planner as it was written before its distances were cached (docs/benchmarks.md, "National
# size"): every distance by `geo.distance_m`, the leftovers' distances to a post recomputed for
# every member on each pick. The planner must give exactly its plans.


def reference_distance(a: PlanStation, b: PlanStation) -> float:
    if a.lat is None or b.lat is None:
        return 1e12
    return distance_m(a.lat, a.lon, b.lat, b.lon)


def reference_walk(stations: list[PlanStation]) -> list[PlanStation]:
    remaining = sorted(stations, key=lambda s: s.id)
    path = [remaining.pop(0)]
    while remaining:
        here = path[-1]
        nearest = min(range(len(remaining)), key=lambda i: (reference_distance(here, remaining[i]), remaining[i].id))
        path.append(remaining.pop(nearest))
    return path


def reference_leftovers(leftovers: list[PlanStation], size: int) -> list[list[PlanStation]]:
    groups = []
    pool = sorted(leftovers, key=lambda s: (s.village_code, s.id))
    while pool:
        group = [pool.pop(0)]
        while pool and len(group) < size:
            nearest = min(
                range(len(pool)),
                key=lambda i: (pool[i].village_code != group[0].village_code, min(reference_distance(m, pool[i]) for m in group), pool[i].id),
            )
            group.append(pool.pop(nearest))
        groups.append(group)
    return groups


def reference_posts(stations: list[PlanStation], rules: dict[str, PostRule]) -> list[Post]:
    cells = defaultdict(list)
    for station in stations:
        cells[(station.kecamatan_code, station.island, station.level)].append(station)
    order = {level: n for n, level in enumerate(LEVEL_ORDER)}
    posts = []
    for district, island, level in sorted(cells, key=lambda k: (k[0], k[1], order.get(k[2], 99), k[2])):
        rule = rules[level]
        by_village = defaultdict(list)
        for station in cells[(district, island, level)]:
            by_village[station.village_code].append(station)
        groups, leftovers = [], []
        for village in sorted(by_village):
            walk = reference_walk(by_village[village])
            full = len(walk) - len(walk) % rule.stations
            groups += [walk[i : i + rule.stations] for i in range(0, full, rule.stations)]
            leftovers += walk[full:]
        groups += reference_leftovers(leftovers, rule.stations)
        posts += [Post(len(posts) + n + 1, level, district, island, [s.id for s in group], rule.police, rule.linmas) for n, group in enumerate(groups)]
    return posts


def random_stations(rng: random.Random, n: int) -> list[PlanStation]:
    """TPS in a few kecamatan, villages, islands and classes, clustered round village centres, with
    repeated points (equal distances: the ids decide) and some without a point."""
    centres = {v: (rng.uniform(-8.8, -8.4), rng.uniform(115.2, 115.6)) for v in range(12)}
    spots = [(rng.uniform(-8.8, -8.4), rng.uniform(115.2, 115.6)) for _ in range(5)]
    ids = rng.sample(range(1, 10 * n + 10), n)
    stations = []
    for sid in ids:
        village = rng.randrange(12)
        lat, lon = centres[village]
        shape = rng.random()
        if shape < 0.1:
            lat = lon = None
        elif shape < 0.25:
            lat, lon = rng.choice(spots)
        else:
            lat, lon = lat + rng.gauss(0, 0.01), lon + rng.gauss(0, 0.01)
        kecamatan = f"51.05.0{village // 4 + 1}"
        level = rng.choices(list(RULES), weights=[10, 4, 1, 1])[0]
        stations.append(PlanStation(sid, level, f"{kecamatan}.20{village:02d}", kecamatan, rng.choice(["daratan", "daratan", "laut:RoRo"]), lat, lon))
    return stations


def test_the_planner_gives_exactly_the_reference_plans_on_random_inputs():
    rng = random.Random(20261206)
    formations = [RULES, {level: PostRule(2, size, 6) for level, size in zip(RULES, (7, 3, 2, 5), strict=True)}, {level: PostRule(1, 1, 1) for level in RULES}]
    for case in range(300):
        stations = random_stations(rng, rng.choice([1, 2, 5, 20, 60, 150]))
        rules = formations[case % len(formations)]
        assert plan_posts(stations, rules).posts == reference_posts(stations, rules), case


def test_the_cached_distances_are_bit_identical_to_the_haversine():
    rng = random.Random(7)
    points = [PlanStation(i, "rawan", "51.05.01.2001", "51.05.01", "daratan", rng.uniform(-11.5, 6.5), rng.uniform(94.5, 141.5)) for i in range(300)]
    points += [PlanStation(300 + i, "rawan", "51.05.01.2001", "51.05.01", "daratan", p.lat + rng.gauss(0, 1e-4), p.lon + rng.gauss(0, 1e-4)) for i, p in enumerate(points[:100])]
    points.append(PlanStation(999, "rawan", "51.05.01.2001", "51.05.01", "daratan", None, None))
    for a in points:
        got = _distances(_point(a), [_point(b) for b in points])
        assert got == [reference_distance(a, b) for b in points]

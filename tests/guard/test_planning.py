"""The guard planner: property tests of its invariants, and small cases by hand."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.guard.planning import PlanStation, PostRule, plan_posts

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

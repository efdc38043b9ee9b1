"""Property tests of the demo generator: the published totals hold for any seed."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.core.geo import contains
from sinergi.regions.demo import KLUNGKUNG_DIR
from sinergi.stations.demo_layout import VillageSpec, allocate, generate, spread_voters


@given(
    total=st.integers(min_value=0, max_value=5000),
    weights=st.lists(st.floats(min_value=0.01, max_value=100), min_size=1, max_size=30),
)
def test_allocate_sums_exactly_and_respects_minimums(total, weights):
    minimums = [1 if i % 2 else 0 for i in range(len(weights))]
    if sum(minimums) > total:
        with pytest.raises(ValueError):
            allocate(total, weights, minimums)
        return
    shares = allocate(total, weights, minimums)
    assert sum(shares) == total
    assert all(share >= minimum for share, minimum in zip(shares, minimums, strict=True))


def test_allocate_by_population_gives_the_documented_mainland_split():
    assert allocate(451, [44_431, 64_235, 40_889]) == [134, 194, 123]


@given(
    count=st.integers(min_value=1, max_value=800),
    maximum=st.integers(min_value=1, max_value=600),
    fill=st.floats(min_value=0.0, max_value=1.0),
    seed=st.integers(),
)
def test_spread_voters_hits_the_total_within_limits(count, maximum, fill, seed):
    import random

    total = count + round(fill * (count * maximum - count))
    voters = spread_voters(count, total, maximum, random.Random(seed))
    assert len(voters) == count and sum(voters) == total
    assert all(1 <= v <= maximum for v in voters)


def _klungkung_villages():
    features = json.loads((KLUNGKUNG_DIR / "desa.geojson").read_text())["features"]
    return [
        VillageSpec(
            code=f["properties"]["code"],
            name=f["properties"]["name"],
            kecamatan_code=f["properties"]["kecamatan_code"],
            geometry=f["geometry"],
            interior=(f["properties"]["interior_lat"], f["properties"]["interior_lon"]),
        )
        for f in features
    ]


VILLAGES = _klungkung_villages()
PER_KECAMATAN = {"51.05.01": 198, "51.05.02": 134, "51.05.03": 194, "51.05.04": 123}


@settings(max_examples=8, deadline=None)
@given(seed=st.text(min_size=1, max_size=12))
def test_generated_pemilu_layout_keeps_every_invariant(seed):
    stations = generate(
        VILLAGES,
        stations_per_kecamatan=PER_KECAMATAN,
        total_voters=167_052,
        max_voters=300,
        seed=seed,
        minimum_per_village={"51.05.01.2010": 18},
    )
    assert len(stations) == 649
    assert sum(1 for s in stations if s.village_code.startswith("51.05.01.")) == 198
    assert sum(s.voters for s in stations) == 167_052
    assert max(s.voters for s in stations) <= 300
    assert len({(s.village_code, s.number) for s in stations}) == 649
    assert {s.village_code for s in stations} == {v.code for v in VILLAGES}  # every village has a TPS
    assert sum(1 for s in stations if s.village_code == "51.05.01.2010") >= 18
    geometry = {v.code: v.geometry for v in VILLAGES}
    assert all(contains(geometry[s.village_code], s.latitude, s.longitude) for s in stations)


def test_the_layout_is_deterministic_for_a_seed():
    args = {"stations_per_kecamatan": PER_KECAMATAN, "total_voters": 167_052, "max_voters": 300, "seed": "x"}
    assert generate(VILLAGES, **args) == generate(VILLAGES, **args)
    assert generate(VILLAGES, **args) != generate(VILLAGES, **{**args, "seed": "y"})

"""Point-in-polygon and sampling on GeoJSON geometries."""

import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.core import geo
from sinergi.regions.demo import KLUNGKUNG_DIR

SQUARE_WITH_HOLE = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
    ],
}


def test_contains_respects_holes_and_multipolygons():
    assert geo.contains(SQUARE_WITH_HOLE, lat=1, lon=1)
    assert not geo.contains(SQUARE_WITH_HOLE, lat=5, lon=5)
    assert not geo.contains(SQUARE_WITH_HOLE, lat=11, lon=1)
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE_WITH_HOLE["coordinates"], [[[20, 20], [21, 20], [21, 21], [20, 20]]]]}
    assert geo.contains(multi, lat=20.2, lon=20.8)


def test_klungkung_interior_points_lie_inside_their_villages():
    features = json.loads((KLUNGKUNG_DIR / "desa.geojson").read_text())["features"]
    assert len(features) == 59
    for feature in features:
        p = feature["properties"]
        assert geo.contains(feature["geometry"], p["interior_lat"], p["interior_lon"]), p["name"]
    selat = next(f for f in features if f["properties"]["code"] == "51.05.03.2016")
    # The data notes say Selat's centroid falls outside its concave polygon.
    assert not geo.contains(selat["geometry"], selat["properties"]["centroid_lat"], selat["properties"]["centroid_lon"])


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_random_points_are_inside(seed):
    lat, lon = geo.random_point_inside(SQUARE_WITH_HOLE, random.Random(seed))
    assert geo.contains(SQUARE_WITH_HOLE, lat, lon)


def test_inside_indonesia_and_distance():
    assert geo.inside_indonesia(-8.5353, 115.4036)
    assert not geo.inside_indonesia(8.5353, 115.4036)
    # Semarapura to Padangbai port: about 12 km as the crow flies.
    assert 11_000 < geo.distance_m(-8.5353, 115.4036, -8.5358, 115.5116) < 13_000

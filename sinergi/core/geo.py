"""Plain geometry on GeoJSON coordinates ([lon, lat] in degrees). No Django import.

Good enough for district-scale questions (is this TPS inside its village? pick a point inside a
village); distances use the haversine formula on a spherical Earth (radius 6,371 km).
"""

import math
import random
from collections.abc import Sequence

# Indonesia's extent with a margin: Sabang ~95.3 E, Merauke ~141.0 E, Miangas ~5.6 N, Rote ~11.0 S.
INDONESIA_BOUNDS = {"min_lat": -11.5, "max_lat": 6.5, "min_lon": 94.5, "max_lon": 141.5}

EARTH_RADIUS_M = 6_371_000.0

Ring = Sequence[Sequence[float]]


def inside_indonesia(lat: float, lon: float) -> bool:
    b = INDONESIA_BOUNDS
    return b["min_lat"] <= lat <= b["max_lat"] and b["min_lon"] <= lon <= b["max_lon"]


def polygons_of(geometry: dict) -> list[list[Ring]]:
    """The polygons of a GeoJSON Polygon or MultiPolygon, each as [outer ring, *holes]."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unsupported geometry type {kind!r}")


def is_valid_geometry(geometry: dict) -> bool:
    """True for a Polygon/MultiPolygon whose every ring has at least 4 [lon, lat] number pairs
    and whose every polygon has an outer ring: the shape `contains` and the map rely on."""
    try:
        polygons = polygons_of(geometry)
    except (ValueError, KeyError, TypeError):
        return False
    if not isinstance(polygons, list) or not polygons:
        return False
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return False
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return False
            for point in ring:
                if not (isinstance(point, list) and len(point) >= 2 and all(isinstance(c, int | float) and not isinstance(c, bool) for c in point[:2])):
                    return False
    return True


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    # Ray casting: count crossings of a ray going east from the point.
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat):
            x_cross = xi + (lat - yi) * (xj - xi) / (yj - yi)
            if lon < x_cross:
                inside = not inside
        j = i
    return inside


def contains(geometry: dict, lat: float, lon: float) -> bool:
    """True when (lat, lon) lies inside the Polygon/MultiPolygon (holes excluded).

    A point exactly on an edge may count either way; callers use it for warnings and sampling,
    where that does not matter.
    """
    for polygon in polygons_of(geometry):
        outer, *holes = polygon
        if _in_ring(lon, lat, outer) and not any(_in_ring(lon, lat, hole) for hole in holes):
            return True
    return False


def bounding_box(geometry: dict) -> tuple[float, float, float, float]:
    """(min_lat, min_lon, max_lat, max_lon) of every vertex."""
    lons = [pt[0] for polygon in polygons_of(geometry) for ring in polygon for pt in ring]
    lats = [pt[1] for polygon in polygons_of(geometry) for ring in polygon for pt in ring]
    return min(lats), min(lons), max(lats), max(lons)


def random_point_inside(geometry: dict, rng: random.Random, *, max_tries: int = 10_000) -> tuple[float, float]:
    """A uniformly drawn (lat, lon) inside the geometry, by rejection from its bounding box.

    Deterministic for a seeded `rng`. Raises ValueError when no point is found in `max_tries`
    (a degenerate or nearly empty polygon).
    """
    min_lat, min_lon, max_lat, max_lon = bounding_box(geometry)
    for _ in range(max_tries):
        lat = rng.uniform(min_lat, max_lat)
        lon = rng.uniform(min_lon, max_lon)
        if contains(geometry, lat, lon):
            return lat, lon
    raise ValueError("no point found inside the geometry")


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))

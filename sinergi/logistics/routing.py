"""The vehicle-routing solver behind the distribution plan. The only module that imports PyVRP:
swapping the solver means rewriting this file and nothing else. No Django import.

One `Problem` is one depot (the KPU warehouse, or an island landing) on one day: stops with a
demand in TPS kits and a service time, and fleets (vehicles of one kind that may start at the
same time, e.g. the trucks that came off one ferry). Times are minutes after local midnight.
Every stop is optional with a prize far above any route cost, so the solver serves as many as it
can and reports the rest as unserved instead of failing: the caller carries them to the next day.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from sinergi.core.geo import distance_m

PRIZE = 10_000_000  # per stop served: dwarfs any route's cost, so coverage comes first
VEHICLE_COST = 180  # minutes-equivalent per vehicle used: fewer convoys, escort teams and crossings


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float
    ref: str = ""  # a place key or village code, for an imported travel time


@dataclass(frozen=True)
class Stop:
    key: str
    point: Point
    demand: int  # TPS kits
    service_min: int


@dataclass(frozen=True)
class Fleet:
    key: str
    count: int
    capacity: int  # TPS kits
    speed_kmh: float
    start_min: int  # leaves the depot no earlier
    end_min: int  # back at the depot no later
    max_route_min: int
    reloads: bool = False  # may go back to the depot to load again (mainland trucks)
    extra_cost: int = 0  # on top of VEHICLE_COST: e.g. a later ferry, which needs another escort boat


@dataclass(frozen=True)
class Problem:
    depot: Point
    stops: list[Stop]
    fleets: list[Fleet]
    detour_factor: float = 1.3
    travel_minutes: dict[tuple[str, str], int] = field(default_factory=dict)  # (ref, ref) -> minutes, imported
    depot_service_min: int = 0  # loading at the depot: before leaving and at every reload


@dataclass
class Visit:
    stop: str | None  # None: back at the depot to reload
    arrive_min: int
    depart_min: int
    kits: int = 0


@dataclass
class Route:
    fleet: str
    start_min: int
    end_min: int
    visits: list[Visit] = field(default_factory=list)
    depart_min: int = 0  # leaves the depot (after loading)

    @property
    def kits(self) -> int:
        return sum(v.kits for v in self.visits)


@dataclass
class Solution:
    routes: list[Route]
    unserved: list[str]
    cost: int  # route minutes (waiting included) + fixed cost per vehicle + PRIZE per unserved stop
    iterations: int


def road_metres(a: Point, b: Point, detour_factor: float) -> int:
    """Road distance estimated from coordinates: great-circle distance times the detour factor."""
    return round(distance_m(a.lat, a.lon, b.lat, b.lon) * detour_factor)


def minutes(metres: int, speed_kmh: float) -> int:
    return -(-metres * 60 // round(speed_kmh * 1000))  # rounded up: never promise an early arrival


def travel(a: Point, b: Point, speed_kmh: float, detour_factor: float, imported: dict[tuple[str, str], int]) -> int:
    """Minutes from a to b: the imported time where there is one (for every vehicle), else the
    estimate from coordinates at the vehicle's speed."""
    if a.ref and b.ref and (a.ref, b.ref) in imported:
        return imported[(a.ref, b.ref)]
    if a == b or (a.lat, a.lon) == (b.lat, b.lon):
        return 0
    return minutes(road_metres(a, b, detour_factor), speed_kmh)


def solve(problem: Problem, *, iterations: int = 3000, seconds: float | None = None, seed: int = 1, progress: Callable[[str], None] | None = None) -> Solution:
    """Routes for the fleets over the stops. Deterministic for a given `seed` and `iterations`
    (`seconds`, when given, also caps the run: benchmarks use it, tests must not)."""
    from pyvrp import Model
    from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria

    fleets = [f for f in problem.fleets if f.count > 0]
    if not problem.stops or not fleets:
        return Solution([], [s.key for s in problem.stops], 0, 0)
    model = Model()
    points = [problem.depot] + [s.point for s in problem.stops]
    locations = [model.add_location(x=p.lon, y=p.lat) for p in points]
    depot = model.add_depot(locations[0], service_duration=problem.depot_service_min)
    speeds = sorted({f.speed_kmh for f in fleets})
    profiles = {speed: model.add_profile(name=f"{speed} km/j") for speed in speeds}
    for fleet in fleets:
        model.add_vehicle_type(
            num_available=fleet.count,
            capacity=[fleet.capacity],
            start_depot=depot,
            end_depot=depot,
            fixed_cost=VEHICLE_COST + fleet.extra_cost,
            tw_early=fleet.start_min,
            tw_late=fleet.end_min,
            start_late=fleet.start_min,
            shift_duration=fleet.max_route_min,
            unit_distance_cost=0,
            unit_duration_cost=1,
            profile=profiles[fleet.speed_kmh],
            reload_depots=[depot] if fleet.reloads else [],
            name=fleet.key,
        )
    for stop, location in zip(problem.stops, locations[1:], strict=True):
        model.add_client(location, delivery=[stop.demand], service_duration=stop.service_min, required=False, prize=PRIZE, name=stop.key)
    metres = [[road_metres(a, b, problem.detour_factor) for b in points] for a in points]
    for speed, profile in profiles.items():
        for i, a in enumerate(locations):
            for j, b in enumerate(locations):
                duration = travel(points[i], points[j], speed, problem.detour_factor, problem.travel_minutes)
                model.add_edge(a, b, distance=metres[i][j], duration=duration, profile=profile)
    stop = MaxIterations(iterations) if seconds is None else MultipleCriteria([MaxIterations(iterations), MaxRuntime(seconds)])
    if progress:
        progress(f"{len(problem.stops)} titik, {sum(f.count for f in fleets)} kendaraan")
    result = model.solve(stop=stop, seed=seed, display=False)
    best = result.best
    routes, served, cost = [], set(), 0
    for route in best.routes():
        if not route.is_feasible():
            # The search ran out of iterations before repairing this route (too heavy, or late):
            # never hand it on; its stops count as unserved and move to the next day.
            continue
        fleet = fleets[route.vehicle_type()]
        cost += route.duration() + VEHICLE_COST + fleet.extra_cost
        schedule = list(route.schedule())
        out = Route(fleet.key, route.start_time(), route.end_time(), depart_min=schedule[0].end_time)
        for activity in schedule[1:-1]:
            if activity.is_client():
                s = problem.stops[activity.idx]
                served.add(s.key)
                out.visits.append(Visit(s.key, activity.start_time, activity.end_time, s.demand))
            else:  # a reload at the depot
                out.visits.append(Visit(None, activity.start_time, activity.end_time))
        routes.append(out)
    unserved = [s.key for s in problem.stops if s.key not in served]
    return Solution(routes, unserved, cost + PRIZE * len(unserved), result.num_iterations)

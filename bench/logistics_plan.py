"""Benchmark: the Klungkung distribution plan, and its routing problems solved by PyVRP and OR-Tools.

Run from the repository root with the project's virtualenv (OR-Tools is the `bench` extra):

    .venv/bin/pip install ortools==9.15.6755
    .venv/bin/python bench/logistics_plan.py                   # --budget 5 --repeat 3 --seed 1
    .venv/bin/python bench/logistics_plan.py --budget 1 5 20   # several budgets, one table each

1. Sets up a throwaway SQLite database (`--db`, default /tmp/sinergi-bench-logistics.sqlite3,
   deleted first): `migrate`, then `demo`, which loads Klungkung's 649 TPS of pemilu-2024, the
   warehouse, the Padangbai RoRo and the Kusamba cargo-boat crossings, and computes one plan (untimed).
2. Times `sinergi.logistics.plans.compute` for pemilu-2024 and every TPS at the default iterations
   (settings.ROUTING_ITERATIONS, 3000), --repeat times (median, min, max), and stops unless the plan
   has no violation and no late TPS. Goal: under 30 s.
3. While doing so, records every `routing.Problem` the planner solves (by wrapping
   `distribution.routing.solve`) and what PyVRP took on it. Then, for each problem and each budget
   T of --budget: PyVRP through `routing.solve(problem, iterations=10**9, seconds=T, seed=--seed)`,
   and OR-Tools (routing library, PATH_CHEAPEST_ARC then GUIDED_LOCAL_SEARCH, time limit T) on the
   same problem: one depot; every stop optional with the penalty PRIZE; a load dimension with each
   vehicle's capacity; a time dimension whose transit is the from-node's service minutes (the
   depot's and its reload copies': the loading time, `depot_service_min`) plus the
   travel minutes at the vehicle's own speed (`routing.travel`, imported times included), each
   vehicle's start fixed at its fleet's `start_min` and its return by `min(end_min, start_min +
   max_route_min)`; a fixed cost VEHICLE_COST + extra_cost per vehicle used; arc cost = the same
   transit, so the objective is route minutes + fixed costs + PRIZE per dropped stop. Reloads (the
   mainland trucks): OR-Tools has no reload, so the depot is copied into optional "reload" nodes
   (penalty 0, only reloading vehicles may visit them) whose demand is minus the largest capacity,
   with load slack there only, so a visit empties the truck (the cvrp_reload pattern). There are
   min(stops, 2 * ceil(kits / capacity)) of them: more trips than any sensible plan needs.
   The "plan" table gives OR-Tools the wall seconds PyVRP took inside the plan (3000 iterations).
4. Evaluates BOTH solutions with one cost function written here: per route, the minutes from the
   fleet's start to its return (travel + service; stops have no time window and the start is fixed,
   so a route never waits), + VEHICLE_COST + extra_cost per vehicle that visits a stop, + PRIZE per
   stop not served; and checks each for feasibility (each stop at most once, vehicles per fleet,
   load per trip, reloads only where allowed, back by end_min, route within max_route_min).
   Cross-checks: this cost equals PyVRP's own objective and OR-Tools' ObjectiveValue().
   Reports per problem and in total: stops, kits, vehicles, cost and unserved for each solver, and
   the ratio PyVRP / OR-Tools (<= 1.00: Sinergi no worse). Writes nothing else. Figures:
   docs/benchmarks.md.

Deterministic as far as the solvers allow: the plan and PyVRP with an iteration limit are (for a
seed); a wall-clock budget makes both solvers stop after a machine-dependent amount of search.
"""

import argparse
import contextlib
import io
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


@dataclass
class Captured:
    problem: object  # routing.Problem
    seconds: float  # wall time of routing.solve inside the plan
    cost: int  # PyVRP's objective
    iterations: int


@dataclass
class Outcome:
    cost: int
    duration: int
    vehicles: int
    unserved: int
    seconds: float
    violations: list[str] = field(default_factory=list)
    check: str = ""  # the solver's own objective, when it differs from ours


def setup(db: Path) -> None:
    db.unlink(missing_ok=True)
    os.environ["DEBUG"] = "1"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sinergi.settings"
    import django

    django.setup()
    from django.core.management import call_command

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        call_command("migrate", verbosity=0, stdout=out)
        call_command("demo", stdout=out)


def time_plan(repeat: int) -> tuple[list[float], list[Captured], dict]:
    from django.conf import settings

    from sinergi.elections.models import Election
    from sinergi.logistics import distribution, plans
    from sinergi.stations.models import Station

    real = distribution.routing.solve
    captured: list[Captured] = []

    def recording(problem, **kwargs):
        start = time.perf_counter()
        solution = real(problem, **kwargs)
        captured.append(Captured(problem, time.perf_counter() - start, solution.cost, solution.iterations))
        return solution

    from sinergi.regions.models import Region

    election = Election.objects.get(slug="pemilu-2024")
    klungkung = Region.objects.get(code="51.05")
    stations = Station.objects.filter(election=election)
    times, first, data = [], [], {}
    distribution.routing.solve = recording
    try:
        for n in range(repeat):
            captured.clear()
            start = time.perf_counter()
            data = plans.compute(election, klungkung, stations, iterations=settings.ROUTING_ITERATIONS)
            times.append(time.perf_counter() - start)
            if data["violations"] or data["late"]:
                sys.exit(f"plan run {n + 1}: {len(data['violations'])} violations, {len(data['late'])} late TPS: {data['violations'][:3]}")
            if n == 0:
                first = list(captured)
            print(f"  plan run {n + 1}: {times[-1]:.2f} s, {len(data['convoys'])} convoys, routing {sum(c.seconds for c in captured):.2f} s", flush=True)
    finally:
        distribution.routing.solve = real
    return times, first, data


# -- one cost function for both solvers ------------------------------------------------------------


def evaluate(problem, routes: list[tuple[str, list[int | None]]], seconds: float) -> Outcome:
    """routes: (fleet key, visits) where a visit is a stop's index in problem.stops or None (reload)."""
    from sinergi.logistics import routing

    fleets = {f.key: f for f in problem.fleets}
    served: dict[int, int] = {}
    used: dict[str, int] = {}
    violations: list[str] = []
    cost = duration = 0

    def travel(a, b, fleet):
        return routing.travel(a, b, fleet.speed_kmh, problem.detour_factor, problem.travel_minutes)

    for n, (key, visits) in enumerate(routes):
        if not any(v is not None for v in visits):
            continue  # an empty route (or reloads only) uses no vehicle
        fleet = fleets[key]
        used[key] = used.get(key, 0) + 1
        # Loading at the depot (its service time) before leaving and at every reload.
        t, here, load = fleet.start_min + problem.depot_service_min, problem.depot, 0
        for v in visits:
            if v is None:
                if not fleet.reloads:
                    violations.append(f"route {n}: reload in fleet {key}")
                t += travel(here, problem.depot, fleet) + problem.depot_service_min
                here, load = problem.depot, 0
                continue
            stop = problem.stops[v]
            served[v] = served.get(v, 0) + 1
            t += travel(here, stop.point, fleet) + stop.service_min
            here = stop.point
            load += stop.demand
            if load > fleet.capacity:
                violations.append(f"route {n}: load {load} > {fleet.capacity}")
        t += travel(here, problem.depot, fleet)
        if t > fleet.end_min:
            violations.append(f"route {n}: back at {t} > {fleet.end_min}")
        if t - fleet.start_min > fleet.max_route_min:
            violations.append(f"route {n}: {t - fleet.start_min} min > {fleet.max_route_min}")
        duration += t - fleet.start_min
        cost += t - fleet.start_min + routing.VEHICLE_COST + fleet.extra_cost
    for key, count in used.items():
        if count > fleets[key].count:
            violations.append(f"fleet {key}: {count} vehicles > {fleets[key].count}")
    violations += [f"stop {problem.stops[v].key} served {k} times" for v, k in served.items() if k > 1]
    unserved = len(problem.stops) - len(served)
    cost += routing.PRIZE * unserved
    return Outcome(cost, duration, sum(used.values()), unserved, seconds, violations)


# -- the two solvers ---------------------------------------------------------------------------------


def run_pyvrp(problem, seconds: float | None, seed: int, iterations: int = 10**9) -> Outcome:
    from sinergi.logistics import routing

    index = {s.key: i for i, s in enumerate(problem.stops)}
    start = time.perf_counter()
    solution = routing.solve(problem, iterations=iterations, seconds=seconds, seed=seed)
    elapsed = time.perf_counter() - start
    routes = [(r.fleet, [index[v.stop] if v.stop is not None else None for v in r.visits]) for r in solution.routes]
    outcome = evaluate(problem, routes, elapsed)
    if solution.cost != outcome.cost:
        outcome.check = f"PyVRP's own cost {solution.cost}"
    return outcome


def reload_nodes(problem) -> int:
    reloading = [f for f in problem.fleets if f.reloads and f.count > 0]
    if not reloading:
        return 0
    kits = sum(s.demand for s in problem.stops)
    return min(len(problem.stops), 2 * math.ceil(kits / min(f.capacity for f in reloading)))


def run_ortools(problem, seconds: float) -> Outcome:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    from sinergi.logistics import routing

    start = time.perf_counter()
    fleets = [f for f in problem.fleets if f.count > 0]
    vehicles = [f for f in fleets for _ in range(f.count)]
    stops = problem.stops
    n, reloads = len(stops), reload_nodes(problem)
    points = [problem.depot] + [s.point for s in stops]
    place = list(range(n + 1)) + [0] * reloads  # node -> index in points (reload nodes: the depot)
    service = [problem.depot_service_min] + [s.service_min for s in stops] + [problem.depot_service_min] * reloads
    biggest = max(f.capacity for f in fleets)
    demand = [0] + [s.demand for s in stops] + [-biggest] * reloads

    manager = pywrapcp.RoutingIndexManager(n + 1 + reloads, len(vehicles), 0)
    model = pywrapcp.RoutingModel(manager)
    transit = {}
    for speed in sorted({f.speed_kmh for f in fleets}):
        minutes = [[routing.travel(a, b, speed, problem.detour_factor, problem.travel_minutes) for b in points] for a in points]
        matrix = [[service[i] + minutes[place[i]][place[j]] for j in range(len(place))] for i in range(len(place))]
        transit[speed] = model.RegisterTransitMatrix(matrix)
    horizon = max(f.end_min for f in fleets)
    model.AddDimensionWithVehicleTransits([transit[f.speed_kmh] for f in vehicles], horizon, horizon, False, "Time")
    clock = model.GetDimensionOrDie("Time")
    load = model.RegisterUnaryTransitVector(demand)
    model.AddDimensionWithVehicleCapacity(load, biggest if reloads else 0, [f.capacity for f in vehicles], True, "Load")
    kits = model.GetDimensionOrDie("Load")
    for v, fleet in enumerate(vehicles):
        model.SetArcCostEvaluatorOfVehicle(transit[fleet.speed_kmh], v)
        model.SetFixedCostOfVehicle(routing.VEHICLE_COST + fleet.extra_cost, v)
        clock.CumulVar(model.Start(v)).SetRange(fleet.start_min, fleet.start_min)
        clock.CumulVar(model.End(v)).SetMax(min(fleet.end_min, fleet.start_min + fleet.max_route_min))
        if reloads:
            kits.SlackVar(model.Start(v)).SetValue(0)
    for node in range(1, n + 1):
        i = manager.NodeToIndex(node)
        model.AddDisjunction([i], routing.PRIZE)
        if reloads:
            kits.SlackVar(i).SetValue(0)
    allowed = [-1] + [v for v, f in enumerate(vehicles) if f.reloads]
    for node in range(n + 1, n + 1 + reloads):
        i = manager.NodeToIndex(node)
        model.AddDisjunction([i], 0)
        model.VehicleVar(i).SetValues(allowed)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(max(1, round((seconds - (time.perf_counter() - start)) * 1000)))
    solution = model.SolveWithParameters(params)
    elapsed = time.perf_counter() - start
    if solution is None:
        return Outcome(routing.PRIZE * n, 0, 0, n, elapsed, [f"no solution (status {model.status()})"])
    routes = []
    for v, fleet in enumerate(vehicles):
        visits, i = [], solution.Value(model.NextVar(model.Start(v)))
        while not model.IsEnd(i):
            node = manager.IndexToNode(i)
            visits.append(node - 1 if node <= n else None)
            i = solution.Value(model.NextVar(i))
        while visits and visits[-1] is None:  # a reload just before going home changes nothing
            visits.pop()
        routes.append((fleet.key, visits))
    outcome = evaluate(problem, routes, elapsed)
    if solution.ObjectiveValue() != outcome.cost:
        outcome.check = f"OR-Tools' own objective {solution.ObjectiveValue()}"
    return outcome


# -- report ------------------------------------------------------------------------------------------


def describe(problem) -> str:
    fleets = ", ".join(
        f"{f.count}x{f.capacity} kits {f.speed_kmh:g} km/h from {f.start_min // 60:02d}.{f.start_min % 60:02d}{' reloads' if f.reloads else ''}"
        for f in problem.fleets
        if f.count
    )
    return f"{len(problem.stops)} stops, {sum(s.demand for s in problem.stops)} kits; {fleets}"


def table(title: str, rows: list[tuple[str, object, Outcome, Outcome]]) -> None:
    print(f"\n{title}\n")
    print("| Problem | Stops | Kits | Budget | PyVRP cost | vehicles | unserved | OR-Tools cost | vehicles | unserved | Ratio PyVRP/OR-Tools |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    total_p = total_o = 0
    for name, problem, p, o in rows:
        total_p += p.cost
        total_o += o.cost
        kits = sum(s.demand for s in problem.stops)
        budget = f"{p.seconds:.1f} s / {o.seconds:.1f} s"
        print(
            f"| {name} | {len(problem.stops)} | {kits} | {budget} | {p.cost:,} | {p.vehicles} | {p.unserved} | {o.cost:,} | {o.vehicles} | {o.unserved} | {p.cost / o.cost:.3f} |"
        )
    stops = sum(len(r[1].stops) for r in rows)
    kits = sum(s.demand for r in rows for s in r[1].stops)
    vp, vo = sum(r[2].vehicles for r in rows), sum(r[3].vehicles for r in rows)
    up, uo = sum(r[2].unserved for r in rows), sum(r[3].unserved for r in rows)
    print(f"| **Total** | {stops} | {kits} | | {total_p:,} | {vp} | {up} | {total_o:,} | {vo} | {uo} | **{total_p / total_o:.3f}** |")
    for name, _, p, o in rows:
        for solver, outcome in (("PyVRP", p), ("OR-Tools", o)):
            if outcome.violations:
                print(f"  INFEASIBLE {name} {solver}: {outcome.violations[:5]}")
            if outcome.check:
                print(f"  note {name} {solver}: our cost {outcome.cost}, {outcome.check}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--budget", type=float, nargs="+", default=[5.0], metavar="SECONDS", help="wall-clock budget per problem and solver (default 5; several allowed)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of the full plan (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="PyVRP's seed in the head-to-head runs (default 1; the plan itself always uses 1)")
    parser.add_argument("--db", type=Path, default=Path("/tmp/sinergi-bench-logistics.sqlite3"), help="throwaway SQLite file (deleted first)")
    args = parser.parse_args()

    start = time.perf_counter()
    setup(args.db)
    print(f"setup (migrate + demo, which computes one plan): {time.perf_counter() - start:.1f} s")

    from importlib.metadata import version

    import ortools
    import pyvrp  # noqa: F401  (imported here only to fail early when missing)

    print(f"Python {sys.version.split()[0]}, PyVRP {version('pyvrp')}, OR-Tools {ortools.__version__}, Django {version('django')}")
    times, captured, data = time_plan(args.repeat)
    print(
        f"\nFull Klungkung plan (plans.compute, pemilu-2024, {data['stations']} TPS): median {statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s over {len(times)} runs; {len(data['convoys'])} convoys, 0 violations, 0 late"
    )
    print(f"Goal < 30 s: {'met' if statistics.median(times) < 30 else 'NOT met'}")
    names = []
    for n, c in enumerate(captured, 1):
        name = f"P{n}"
        names.append(name)
        print(
            f"  {name}: {describe(c.problem)}; in the plan PyVRP took {c.seconds:.2f} s for {c.iterations} iterations, cost {c.cost:,}; OR-Tools reload nodes: {reload_nodes(c.problem)}"
        )

    rows = []
    for name, c in zip(names, captured, strict=True):
        plan = run_pyvrp(c.problem, None, 1, iterations=c.iterations)  # the plan's own solve, re-run and evaluated
        plan.seconds = c.seconds
        rows.append((name, c.problem, plan, run_ortools(c.problem, c.seconds)))
    table("As in the plan: PyVRP at 3000 iterations (seed 1); OR-Tools given the wall seconds PyVRP took", rows)
    for budget in args.budget:
        rows = [(name, c.problem, run_pyvrp(c.problem, budget, args.seed), run_ortools(c.problem, budget)) for name, c in zip(names, captured, strict=True)]
        table(f"Same wall-clock budget: {budget:g} s per problem and solver (PyVRP seed {args.seed})", rows)
    print(f"\nwall time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()

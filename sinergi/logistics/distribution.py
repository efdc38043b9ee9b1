"""The escorted distribution plan: which convoy takes which TPS kits where, day by day. No Django import.

Rules (docs/logistics.md, all in `Rules`):

- Kits go from the KPU warehouse to each village's store (PPS), which hands them to its KPPS: a
  *stop* is a village, or part of one when its kits exceed a vehicle's load.
- TPS reached over a crossing are served from H-3 (`island_days_before`), the mainland from H-1
  (`mainland_days_before`); everything is due by the end of the working day of H-1
  (`deadline_days_before`). A day's unserved stops move to the next day; what is still unserved
  on the deadline is planned later and reported late, with by how much.
- A RoRo crossing carries vehicles: trucks leave the warehouse, board at a scheduled departure
  (at most `capacity` vehicles each), and distribute on the island from the landing. A cargo-boat
  crossing carries kits only (at most `capacity` kits a departure): feeder trucks bring them to
  the landing, the boats cross, and vehicles based on the island distribute them once the day's
  last boat is in.
- Every convoy has a road escort team (Polres); every departure used has a water-police team; a
  day's teams are never exceeded. A departure that falls in a closure window (high waves) is not
  used. Capacities are never exceeded, per trip.
"""

from collections import defaultdict
from datetime import date, timedelta

from sinergi.logistics import routing
from sinergi.logistics.plan_model import (  # noqa: F401  (the planner's public types, re-exported)
    CARGO,
    RORO,
    Closure,
    Convoy,
    Crossing,
    Delivery,
    Escorts,
    Inputs,
    Late,
    Place,
    Plan,
    Rules,
    Stop,
    VehicleGroup,
    at,
    closed,
)
from sinergi.logistics.routing import Point  # noqa: F401


class _Day:
    """What is left on one day: vehicles, escort teams, and the unit names handed out."""

    def __init__(self, day: date, inputs: Inputs):
        self.day = day
        self.vehicles = {g.key: g.count for g in inputs.vehicles}
        escorts = inputs.escorts_by_day.get(day, inputs.escorts)
        self.road, self.water = escorts.road, escorts.water
        self.used_units: dict[str, int] = defaultdict(int)
        self.road_teams = self.water_teams = 0
        self.convoys = 0

    def unit(self, group: VehicleGroup) -> str:
        self.used_units[group.key] += 1
        self.vehicles[group.key] -= 1
        return f"{group.name} {self.used_units[group.key]:02d}"

    def road_team(self) -> str:
        self.road -= 1
        self.road_teams += 1
        return f"Tim kawal darat {self.road_teams:02d}"

    def water_team(self) -> str:
        self.water -= 1
        self.water_teams += 1
        return f"Tim Polair {self.water_teams:02d}"

    def convoy_id(self) -> str:
        self.convoys += 1
        return f"{self.day:%d%m}-{self.convoys:02d}"


def _stops(deliveries: list[Delivery], chunk: int, rules: Rules) -> list[tuple[routing.Stop, list[Delivery]]]:
    """Village stops of at most `chunk` kits each."""
    by_village: dict[str, list[Delivery]] = defaultdict(list)
    for d in sorted(deliveries, key=lambda d: (d.village_code, d.station_id)):
        by_village[d.village_code].append(d)
    stops = []
    for village, members in by_village.items():
        for n in range(0, len(members), chunk):
            part = members[n : n + chunk]
            stops.append((routing.Stop(f"{village}#{n // chunk + 1}", part[0].point, len(part), rules.service_base_min + rules.service_per_kit_min * len(part)), part))
    return stops


def _stop_size(fleets: list[routing.Fleet]) -> int:
    """Kits per stop at most: half the smallest load (rounded up), so that a village's kits can
    share a vehicle with a neighbour's instead of filling one two-thirds."""
    return max(1, -(-min(f.capacity for f in fleets) // 2))


def _convoy_stops(day: date, route: routing.Route, stops: dict[str, tuple[routing.Stop, list[Delivery]]], depot_name: str) -> list[Stop]:
    out = [Stop(depot_name, at(day, route.start_min), at(day, max(route.start_min, route.depart_min)))]
    for visit in route.visits:
        if visit.stop is None:
            out.append(Stop("reload", at(day, visit.arrive_min), at(day, visit.depart_min)))
            continue
        _, members = stops[visit.stop]
        if out[-1].village_code == members[0].village_code:  # the same village's next part: one stop
            out[-1].station_ids += [d.station_id for d in members]
            out[-1].depart = at(day, visit.depart_min)
            continue
        out.append(Stop(members[0].village_name, at(day, visit.arrive_min), at(day, visit.depart_min), members[0].village_code, [d.station_id for d in members]))
    out.append(Stop(depot_name, at(day, route.end_min), at(day, route.end_min)))
    return out


class Planner:
    def __init__(self, inputs: Inputs, *, iterations: int = 3000, seconds: float | None = None, seed: int = 1, progress=None):
        self.inputs, self.iterations, self.seconds, self.seed = inputs, iterations, seconds, seed
        self.progress = progress or (lambda message: None)
        self.rules = inputs.rules
        self.warehouse = inputs.places[inputs.warehouse]
        self.trucks = [g for g in inputs.vehicles if g.base == inputs.warehouse]
        # Why the last attempt to serve a crossing's TPS (key: its name) or the mainland's (None)
        # left some unserved: what a TPS still unserved on voting day is told.
        self.why: dict[str | None, str] = {}

    def _solve(self, depot: Point, stops, fleets, depot_service_min: int = 0) -> routing.Solution:
        problem = routing.Problem(depot, [s for s, _ in stops], fleets, self.rules.detour_factor, self.inputs.travel_minutes, depot_service_min)
        return routing.solve(problem, iterations=self.iterations, seconds=self.seconds, seed=self.seed)

    def _road(self, a: Point, b: Point, speed: float) -> int:
        return routing.travel(a, b, speed, self.rules.detour_factor, self.inputs.travel_minutes)

    def plan(self) -> Plan:
        inputs, rules = self.inputs, self.rules
        deadline = at(inputs.voting_date - timedelta(days=rules.deadline_days_before), rules.work_end_min)
        remaining = {d.station_id: d for d in inputs.deliveries}
        convoys: list[Convoy] = []
        first = inputs.voting_date - timedelta(days=max(rules.island_days_before, rules.mainland_days_before))
        day = first
        # Up to voting day itself: what misses the deadline is still planned, to say by how much.
        while remaining and day <= inputs.voting_date:
            today = _Day(day, inputs)
            for crossing in sorted(inputs.crossings.values(), key=lambda c: (c.mode != RORO, c.name)):
                if day < inputs.voting_date - timedelta(days=rules.island_days_before):
                    break
                todo = [d for d in remaining.values() if d.crossing == crossing.name]
                if todo:
                    self.progress(f"{day:%d-%m-%Y}: {crossing.name}, {len(todo)} TPS")
                    made = self._roro(today, crossing, todo) if crossing.mode == RORO else self._cargo(today, crossing, todo)
                    convoys += made
            if day >= inputs.voting_date - timedelta(days=rules.mainland_days_before):
                todo = [d for d in remaining.values() if d.crossing is None]
                if todo:
                    self.progress(f"{day:%d-%m-%Y}: daratan, {len(todo)} TPS")
                    convoys += self._mainland(today, todo)
            for convoy in convoys:
                if convoy.day == day:
                    for stop in convoy.stops:
                        if convoy.kind in ("darat", "pulau"):
                            for sid in stop.station_ids:
                                remaining.pop(sid, None)
            day += timedelta(days=1)
        plan = Plan(convoys, [], deadline)
        for sid, (_, stop) in sorted(plan.delivered().items()):
            if stop.arrive > deadline:
                d = next(x for x in inputs.deliveries if x.station_id == sid)
                plan.late.append(Late(sid, d.label, deadline, stop.arrive, int((stop.arrive - deadline).total_seconds() // 60)))
        unknown = {d.crossing for d in inputs.deliveries if d.crossing and d.crossing not in inputs.crossings}
        for d in sorted(remaining.values(), key=lambda d: d.station_id):
            plan.late.append(Late(d.station_id, d.label, deadline, None, None, self._reason(d, unknown)))
        if unknown:
            plan.notes.append(f"Penyeberangan tidak dikenal dalam jaringan: {', '.join(sorted(unknown))}.")
        return plan

    def _reason(self, delivery: Delivery, unknown: set[str]) -> str:
        if delivery.crossing in unknown:
            return f"penyeberangan '{delivery.crossing}' yang tercatat pada TPS tidak ada dalam jaringan kabupaten/kota ini"
        return self.why.get(delivery.crossing, "kendaraan, tim kawal dan jam kerja tidak cukup untuk melayaninya sebelum hari pemungutan suara")

    def _mainland(self, today: _Day, todo: list[Delivery]) -> list[Convoy]:
        rules = self.rules
        if not self.trucks:
            self.why[None] = f"tidak ada kendaraan berpangkalan di {self.warehouse.name}"
            return []
        if today.road <= 0:
            self.why[None] = "tidak ada tim kawal darat yang tersisa pada hari itu"
            return []
        fleets, groups = [], {}
        escorts = today.road
        for group in self.trucks:
            count = min(today.vehicles[group.key], escorts)
            escorts -= count
            # Loading is the warehouse's service time: at the start and at every reload.
            fleets.append(routing.Fleet(group.key, count, group.capacity, group.speed_kmh, rules.work_start_min, rules.work_end_min, rules.max_route_min, group.reloads))
            groups[group.key] = group
        if not any(f.count for f in fleets):
            self.why[None] = f"kendaraan atau tim kawal darat di {self.warehouse.name} sudah terpakai semua pada hari itu"
            return []
        stops = _stops(todo, _stop_size([f for f in fleets if f.count]), rules)
        solution = self._solve(self.warehouse.point, stops, fleets, depot_service_min=rules.loading_min)
        by_key = {s.key: (s, members) for s, members in stops}
        convoys = []
        for route in solution.routes:
            group = groups[route.fleet]
            convoys.append(
                Convoy(today.convoy_id(), today.day, "darat", today.unit(group), group.capacity, today.road_team(), _convoy_stops(today.day, route, by_key, self.warehouse.name))
            )
        return convoys

    def _departures(self, today: _Day, crossing: Crossing, lead_min: int) -> list[int]:
        """Open departures a convoy leaving the warehouse after loading can make (when there are
        none, `why` says whether none can be made or those that can are closed)."""
        rules = self.rules
        reachable = [
            dep
            for dep in sorted(crossing.departures)
            if dep - lead_min >= rules.work_start_min + rules.loading_min and dep + crossing.duration_min + rules.unloading_min < rules.work_end_min
        ]
        open_ = [dep for dep in reachable if not closed(crossing, self.inputs.closures, today.day, dep)]
        if not reachable:
            self.why[crossing.name] = (
                f"tidak ada keberangkatan {crossing.name} yang terkejar setelah pemuatan di {self.warehouse.name} "
                f"(perjalanan ke pelabuhan {lead_min} menit, jam kerja {rules.work_start_min // 60:02d}.{rules.work_start_min % 60:02d}–{rules.work_end_min // 60:02d}.{rules.work_end_min % 60:02d})"
            )
        elif not open_:
            self.why[crossing.name] = f"penyeberangan {crossing.name} ditutup pada setiap keberangkatan yang terkejar"
        return open_

    def _roro(self, today: _Day, crossing: Crossing, todo: list[Delivery]) -> list[Convoy]:
        rules, places = self.rules, self.inputs.places
        port, landing = places[crossing.origin], places[crossing.destination]
        if not self.trucks:
            self.why[crossing.name] = f"tidak ada kendaraan berpangkalan di {self.warehouse.name} untuk naik kapal {crossing.name}"
            return []
        if today.water <= 0:
            self.why[crossing.name] = "tidak ada tim Polair yang tersisa pada hari itu"
            return []
        fleets, meta = [], {}
        vehicles_left = dict(today.vehicles)
        escorts, water = today.road, today.water
        for group in self.trucks:
            lead = self._road(self.warehouse.point, port.point, group.speed_kmh) + rules.boarding_min
            for slot, dep in enumerate(self._departures(today, crossing, lead)):
                if water <= 0:
                    break
                count = min(crossing.capacity, vehicles_left[group.key], escorts)
                if count <= 0:
                    break
                vehicles_left[group.key] -= count
                escorts -= count
                water -= 1
                key = f"{group.key}@{dep}"
                start = dep + crossing.duration_min + rules.unloading_min
                # A later departure costs more: the island waits, and it needs another Polair team.
                fleets.append(routing.Fleet(key, count, group.capacity, group.speed_kmh, start, rules.work_end_min, rules.max_route_min, False, extra_cost=120 * slot))
                meta[key] = (group, dep, lead)
        if not fleets:
            return []
        stops = _stops(todo, _stop_size(fleets), rules)
        solution = self._solve(landing.point, stops, fleets)
        by_key = {s.key: (s, members) for s, members in stops}
        convoys, water_team = [], {}
        for route in sorted(solution.routes, key=lambda r: (r.start_min, r.fleet)):
            group, dep, lead = meta[route.fleet]
            if dep not in water_team:
                water_team[dep] = today.water_team()
            leave = dep - lead
            approach = [
                Stop(self.warehouse.name, at(today.day, leave - rules.loading_min), at(today.day, leave)),
                Stop(port.name, at(today.day, dep - rules.boarding_min), at(today.day, dep)),
            ]
            island = _convoy_stops(today.day, route, by_key, landing.name)
            island[0] = Stop(landing.name, at(today.day, dep + crossing.duration_min), at(today.day, route.start_min))
            convoys.append(
                Convoy(
                    today.convoy_id(), today.day, "pulau", today.unit(group), group.capacity, today.road_team(), approach + island,
                    water_escort=water_team[dep], crossing=crossing.name, departure=at(today.day, dep), arrival=at(today.day, dep + crossing.duration_min),
                )  # fmt: skip
            )
        return convoys

    def _cargo(self, today: _Day, crossing: Crossing, todo: list[Delivery]) -> list[Convoy]:
        rules, places = self.rules, self.inputs.places
        landing_from, landing_to = places[crossing.origin], places[crossing.destination]
        island_groups = [g for g in self.inputs.vehicles if g.base == crossing.destination]
        feeders = [g for g in self.trucks if today.vehicles[g.key] > 0]
        if not island_groups:
            self.why[crossing.name] = f"tidak ada kendaraan berpangkalan di {landing_to.name} untuk membawa muatan ke TPS di seberang"
            return []
        if not feeders:
            self.why[crossing.name] = f"tidak ada kendaraan pengumpan di {self.warehouse.name}"
            return []
        if today.water <= 0:
            self.why[crossing.name] = "tidak ada tim Polair yang tersisa pada hari itu"
            return []
        feeder = feeders[0]
        lead = self._road(self.warehouse.point, landing_from.point, feeder.speed_kmh) + rules.boarding_min
        departures = self._departures(today, crossing, lead)[: max(0, today.water)]
        if not departures:
            return []
        # Island vehicles and feeder trucks each need a road escort; keep one per feeder.
        start = departures[-1] + crossing.duration_min + rules.unloading_min
        fleets, escorts = [], today.road
        for group in island_groups:
            count = min(group.count, max(0, escorts - 1))
            escorts -= count
            fleets.append(routing.Fleet(group.key, count, group.capacity, group.speed_kmh, start, rules.work_end_min, rules.max_route_min, False))
        room_kits = min(len(departures) * crossing.capacity, today.vehicles[feeder.key] * feeder.capacity, max(0, escorts) * feeder.capacity)
        stops = _stops(todo, _stop_size(fleets), rules)
        chosen, kits = [], 0
        for stop, members in stops:
            if kits + stop.demand <= room_kits:
                chosen.append((stop, members))
                kits += stop.demand
        if not chosen or not any(f.count for f in fleets):
            return []
        solution = self._solve(landing_to.point, chosen, fleets)
        by_key = {s.key: (s, members) for s, members in chosen}
        served = [sid for route in solution.routes for visit in route.visits if visit.stop for sid in (d.station_id for d in by_key[visit.stop][1])]
        if not served:
            return []
        convoys = []
        # Feeder trucks: warehouse -> the mainland landing, kits handed to the boats.
        loads = [served[n : n + feeder.capacity] for n in range(0, len(served), feeder.capacity)]
        leave = departures[0] - lead
        for load in loads:
            stops_ = [
                Stop(self.warehouse.name, at(today.day, leave - rules.loading_min), at(today.day, leave)),
                Stop(landing_from.name, at(today.day, departures[0] - rules.boarding_min), at(today.day, departures[0] - rules.boarding_min), station_ids=list(load)),
            ]
            convoys.append(Convoy(today.convoy_id(), today.day, "pengumpan", today.unit(feeder), feeder.capacity, today.road_team(), stops_, crossing=crossing.name))
        # Boats: fill each departure in order.
        boat_loads = [served[n : n + crossing.capacity] for n in range(0, len(served), crossing.capacity)]
        for dep, load in zip(departures, boat_loads, strict=False):
            arrive = dep + crossing.duration_min
            stops_ = [
                Stop(landing_from.name, at(today.day, dep - rules.boarding_min), at(today.day, dep)),
                Stop(landing_to.name, at(today.day, arrive), at(today.day, arrive + rules.unloading_min), station_ids=list(load)),
            ]
            convoys.append(
                Convoy(
                    today.convoy_id(), today.day, "perahu", f"Perahu barang {dep // 60:02d}.{dep % 60:02d}", crossing.capacity, today.water_team(), stops_,
                    water_escort="", crossing=crossing.name, departure=at(today.day, dep), arrival=at(today.day, arrive),
                )  # fmt: skip
            )
        groups = {g.key: g for g in island_groups}
        for route in solution.routes:
            group = groups[route.fleet]
            convoys.append(
                Convoy(today.convoy_id(), today.day, "pulau", today.unit(group), group.capacity, today.road_team(), _convoy_stops(today.day, route, by_key, landing_to.name), crossing=crossing.name)
            )
        return convoys


def make_plan(inputs: Inputs, *, iterations: int = 3000, seconds: float | None = None, seed: int = 1, progress=None) -> Plan:
    return Planner(inputs, iterations=iterations, seconds=seconds, seed=seed, progress=progress).plan()

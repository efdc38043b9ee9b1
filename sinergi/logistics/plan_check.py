"""Re-checking a finished distribution plan against every hard rule. No Django import.

The planner keeps the rules by construction; this is the independent check that a stored plan
(and every plan in the property tests) is held to.
"""

from collections import defaultdict
from datetime import date

from sinergi.logistics.plan_model import RORO, Convoy, Inputs, Plan, closed


def violations(plan: Plan, inputs: Inputs) -> list[str]:
    """Every hard rule the plan breaks (empty for a valid plan): each TPS delivered once or listed
    late, capacities per trip, escorts on every convoy and every sea leg, departures scheduled and
    open, teams per day within what is available, and lateness reported truly."""
    problems = []
    handed: dict[int, int] = defaultdict(int)
    for convoy in plan.convoys:
        if convoy.kind in ("darat", "pulau"):
            for stop in convoy.stops:
                for sid in stop.station_ids:
                    handed[sid] += 1
        if any(load > convoy.capacity for load in convoy.trips()):
            problems.append(f"{convoy.id}: muatan {max(convoy.trips())} melebihi kapasitas {convoy.capacity}")
        if not convoy.escort:
            problems.append(f"{convoy.id}: tanpa pengawalan")
        if convoy.departure is not None:
            crossing = inputs.crossings[convoy.crossing]
            minute = convoy.departure.hour * 60 + convoy.departure.minute
            if minute not in crossing.departures:
                problems.append(f"{convoy.id}: keberangkatan {convoy.departure:%H.%M} tidak terjadwal")
            if closed(crossing, inputs.closures, convoy.departure.date(), minute):
                problems.append(f"{convoy.id}: menyeberang saat {crossing.name} ditutup")
            if convoy.kind == "pulau" and crossing.mode == RORO and not convoy.water_escort:
                problems.append(f"{convoy.id}: penyeberangan tanpa pengawalan Polair")
    ids = {d.station_id for d in inputs.deliveries}
    late = {entry.station_id: entry for entry in plan.late}
    for sid in ids:
        if handed[sid] > 1:
            problems.append(f"TPS {sid}: diantar {handed[sid]} kali")
        if handed[sid] == 0 and sid not in late:
            problems.append(f"TPS {sid}: tidak diantar dan tidak tercatat terlambat")
    for sid, (_, stop) in plan.delivered().items():
        if stop.arrive > plan.deadline and sid not in late:
            problems.append(f"TPS {sid}: tiba {stop.arrive:%d-%m %H.%M} setelah tenggat tanpa tercatat terlambat")
    by_day: dict[date, list[Convoy]] = defaultdict(list)
    for convoy in plan.convoys:
        by_day[convoy.day].append(convoy)
    for day, convoys in by_day.items():
        escorts = inputs.escorts_by_day.get(day, inputs.escorts)
        road = {c.escort for c in convoys if c.kind != "perahu"}
        water = {c.water_escort for c in convoys if c.water_escort} | {c.escort for c in convoys if c.kind == "perahu"}
        if len(road) > escorts.road:
            problems.append(f"{day}: {len(road)} tim kawal darat, tersedia {escorts.road}")
        if len(water) > escorts.water:
            problems.append(f"{day}: {len(water)} tim Polair, tersedia {escorts.water}")
        units = [c.vehicle for c in convoys if c.kind != "perahu"]
        if len(units) != len(set(units)):
            problems.append(f"{day}: satu kendaraan dipakai dua konvoi")
    return problems

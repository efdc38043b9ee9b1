"""The distribution plan's data: the network, rules and TPS going in, the convoys and lateness
coming out (logistics/distribution.py plans, logistics/plan_check.py re-checks). No Django import."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sinergi.logistics.routing import Point

RORO, CARGO = "roro", "barang"


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    point: Point


@dataclass(frozen=True)
class Crossing:
    name: str
    origin: str  # place key, mainland side
    destination: str  # place key, island side
    mode: str  # RORO or CARGO
    duration_min: int
    departures: tuple[int, ...]  # minutes after midnight, every day
    capacity: int  # vehicles (RoRo) or kits (cargo boat) per departure


@dataclass(frozen=True)
class Closure:
    crossing: str
    start: datetime  # local, naive
    end: datetime


@dataclass(frozen=True)
class VehicleGroup:
    key: str
    name: str  # "Truk": units are named "Truk 01", "Truk 02", ...
    count: int
    capacity: int  # TPS kits
    speed_kmh: float
    base: str  # place key: the warehouse, or an island landing
    reloads: bool = False


@dataclass(frozen=True)
class Escorts:
    road: int
    water: int


@dataclass(frozen=True)
class Rules:
    island_days_before: int = 3
    mainland_days_before: int = 1
    deadline_days_before: int = 1
    work_start_min: int = 7 * 60
    work_end_min: int = 18 * 60
    max_route_min: int = 10 * 60
    detour_factor: float = 1.3
    loading_min: int = 30  # at the warehouse before leaving
    boarding_min: int = 30  # at the port before a departure
    unloading_min: int = 30  # after a crossing: unloading, and the weather buffer
    service_base_min: int = 15
    service_per_kit_min: int = 2


@dataclass(frozen=True)
class Delivery:
    """One TPS kit, delivered to its village's store."""

    station_id: int
    label: str
    village_code: str
    village_name: str
    point: Point  # the village store (PPS); approximate: the village's interior point
    crossing: str | None  # the crossing its island is reached by; None on the mainland


@dataclass(frozen=True)
class Inputs:
    voting_date: date
    warehouse: str
    places: dict[str, Place]
    crossings: dict[str, Crossing]
    vehicles: list[VehicleGroup]
    escorts: Escorts  # per day
    rules: Rules
    deliveries: list[Delivery]
    closures: list[Closure] = field(default_factory=list)
    escorts_by_day: dict[date, Escorts] = field(default_factory=dict)
    travel_minutes: dict[tuple[str, str], int] = field(default_factory=dict)  # imported: (ref, ref) -> minutes


@dataclass
class Stop:
    place: str
    arrive: datetime
    depart: datetime
    village_code: str = ""
    station_ids: list[int] = field(default_factory=list)

    @property
    def kits(self) -> int:
        return len(self.station_ids)


@dataclass
class Convoy:
    id: str
    day: date
    kind: str  # "darat" (mainland), "pulau" (on an island), "pengumpan" (feeder to a landing), "perahu" (a cargo boat)
    vehicle: str
    capacity: int
    escort: str
    stops: list[Stop]
    water_escort: str = ""
    crossing: str = ""
    departure: datetime | None = None
    arrival: datetime | None = None

    @property
    def kits(self) -> int:
        return sum(s.kits for s in self.stops)

    def trips(self) -> list[int]:
        """Kits per trip: a stop at the warehouse (a reload) starts a new one."""
        loads = [0]
        for stop in self.stops[1:]:
            if stop.place == "reload":
                loads.append(0)
            loads[-1] += stop.kits
        return loads


@dataclass
class Late:
    station_id: int
    label: str
    deadline: datetime
    planned: datetime | None  # None: not served at all before voting day
    late_minutes: int | None
    reason: str = ""  # why it is not served (planned None), named for a person


@dataclass
class Plan:
    convoys: list[Convoy]
    late: list[Late]
    deadline: datetime
    notes: list[str] = field(default_factory=list)

    def delivered(self) -> dict[int, tuple[Convoy, Stop]]:
        """TPS -> the convoy and stop that hand its kit to the village store (boats and feeders carry, they do not hand over)."""
        return {sid: (c, s) for c in self.convoys if c.kind in ("darat", "pulau") for s in c.stops for sid in s.station_ids}


def at(day: date, minute: int) -> datetime:
    return datetime.combine(day, time()) + timedelta(minutes=minute)


def closed(crossing: Crossing, closures: list[Closure], day: date, departure: int) -> bool:
    start, end = at(day, departure), at(day, departure + crossing.duration_min)
    return any(c.crossing == crossing.name and c.start < end and start < c.end for c in closures)



"""The stored distribution plan, read: `DistributionPlan.data` (JSON, written by `plans.to_data`)
as frozen dataclasses, its times aware in the election's time zone. No Django import.

Every reader of a stored plan goes through `read_plan` — the status board, the distribution page,
its Excel export and map layer, the surat jalan, the demo, the re-planning job — and asks it the
questions they share: which convoy and stop hand a TPS's kit to its village store (`deliveries`,
`delivery_of`), which TPS a convoy carries (`Convoy.station_ids`, `Convoy.carries`), the plan cut to
the TPS a viewer may see (`cut_to`), local clock labels (`Stop.arrive_time`, ...).

The stored format is unchanged: times are local to the election, ISO 8601 without offset, to the
minute ("2024-02-11T07:30"). A document written by hand (the tests') may leave out what the
readers can do without: a convoy's day (the day of its first stop), vehicle, capacity, kits (those
of its stops), escorts and crossing; a stop's departure (its arrival), village and TPS; the plan's
deadline, late TPS, closures, notes and violations.
"""

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

# The convoys that hand kits over to the village stores; a feeder truck and a cargo boat only carry
# them to and across the water.
HANDING_OVER = ("darat", "pulau")
RELOAD = "reload"  # the place of a stop back at the warehouse to load again


@dataclass(frozen=True)
class Stop:
    place: str  # a village's name, the warehouse, a harbour, or RELOAD
    arrive: datetime
    depart: datetime
    village_code: str = ""  # the village whose store it serves; "" at the warehouse or a harbour
    station_ids: tuple[int, ...] = ()  # the TPS whose kits are handed over (or unloaded) here

    @property
    def kits(self) -> int:
        return len(self.station_ids)

    @property
    def is_reload(self) -> bool:
        return self.place == RELOAD

    @property
    def arrive_day(self) -> str:
        """The local date of arrival, "2024-02-11"."""
        return f"{self.arrive:%Y-%m-%d}"

    @property
    def arrive_time(self) -> str:
        """The local clock of arrival, "07:30"."""
        return f"{self.arrive:%H:%M}"

    @property
    def depart_time(self) -> str:
        return f"{self.depart:%H:%M}"


@dataclass(frozen=True)
class Convoy:
    id: str
    day: date
    kind: str  # "darat" (mainland), "pulau" (on an island), "pengumpan" (feeder to a landing), "perahu" (a cargo boat)
    vehicle: str
    capacity: int
    kits: int  # as planned, the TPS of every area
    escort: str
    stops: tuple[Stop, ...]
    water_escort: str = ""
    crossing: str = ""
    departure: datetime | None = None  # over the water
    arrival: datetime | None = None
    other_stations: int = 0  # cut to a viewer (`cut_to`): the TPS it carries outside the viewer's area

    @property
    def hands_over(self) -> bool:
        return self.kind in HANDING_OVER

    @property
    def station_ids(self) -> frozenset[int]:
        """Every TPS whose kit it carries."""
        return frozenset(sid for stop in self.stops for sid in stop.station_ids)

    def carries(self, station_ids: Collection[int]) -> bool:
        """Whether it carries the kit of any of `station_ids`."""
        return any(sid in station_ids for stop in self.stops for sid in stop.station_ids)

    @property
    def departure_time(self) -> str:
        """The local clock of its departure over the water, "" on the road only."""
        return f"{self.departure:%H:%M}" if self.departure else ""

    def cut_to(self, visible: Collection[int]) -> "Convoy":
        """Its stops keep only the TPS of `visible` (a stop with no kit — warehouse, harbour, reload
        — stays, a stop of other TPS only goes); the others are only counted."""
        stops = tuple(
            replace(stop, station_ids=tuple(sid for sid in stop.station_ids if sid in visible))
            for stop in self.stops
            if not stop.station_ids or any(sid in visible for sid in stop.station_ids)
        )
        return replace(self, stops=stops, other_stations=len(self.station_ids - set(visible)))


@dataclass(frozen=True)
class Delivery:
    """Who hands a TPS's kit to its village store, and where (the stop's arrival is the moment)."""

    convoy: Convoy
    stop: Stop


@dataclass(frozen=True)
class Late:
    station_id: int
    label: str
    planned: datetime | None  # None: not served at all before voting day
    late_minutes: int | None
    reason: str = ""  # why it is not served at all (plans from before reasons were kept: "")

    @property
    def planned_day(self) -> str:
        return f"{self.planned:%Y-%m-%d}" if self.planned else ""

    @property
    def planned_time(self) -> str:
        return f"{self.planned:%H:%M}" if self.planned else ""


@dataclass(frozen=True)
class Closure:
    crossing: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Moved:
    """A TPS whose delivery moved between two plans (`changes_between`)."""

    station_id: int
    before: Delivery | None
    after: Delivery | None


@dataclass(frozen=True)
class StoredPlan:
    time_zone: ZoneInfo
    deadline: datetime | None  # the end of the working day of H-1
    stations: int  # TPS planned for
    convoys: tuple[Convoy, ...]
    late: tuple[Late, ...] = ()
    closures: tuple[Closure, ...] = ()
    notes: tuple[str, ...] = ()
    violations: tuple[str, ...] = ()

    def convoy(self, convoy_id: str) -> Convoy | None:
        return next((c for c in self.convoys if c.id == convoy_id), None)

    def deliveries(self) -> dict[int, Delivery]:
        """TPS id -> the convoy and stop that hand its kit to the village store."""
        return {sid: Delivery(convoy, stop) for convoy in self.convoys if convoy.hands_over for stop in convoy.stops for sid in stop.station_ids}

    def delivery_of(self, station_id: int) -> Delivery | None:
        return self.deliveries().get(station_id)

    def cut_to(self, visible: Collection[int], *, every_convoy: bool) -> "StoredPlan":
        """The plan as a viewer of the TPS `visible` sees it: the convoys carrying a kit of theirs
        (every convoy with `every_convoy`, for a viewer of the whole district), each cut to their
        TPS (`Convoy.cut_to`); the late TPS among theirs."""
        return replace(
            self,
            convoys=tuple(c.cut_to(visible) for c in self.convoys if every_convoy or c.carries(visible)),
            late=tuple(e for e in self.late if e.station_id in visible),
        )


def changes_between(before: StoredPlan, after: StoredPlan) -> list[Moved]:
    """Per TPS whose arrival at its village store moved: its old and new delivery (None when not
    delivered), by TPS id."""
    old, new = before.deliveries(), after.deliveries()
    moved = []
    for sid in sorted(set(old) | set(new)):
        if _arrival(old.get(sid)) != _arrival(new.get(sid)):
            moved.append(Moved(sid, old.get(sid), new.get(sid)))
    return moved


def _arrival(delivery: Delivery | None) -> datetime | None:
    return delivery.stop.arrive if delivery else None


def stored_time(moment: datetime) -> str:
    """A moment as the stored plan writes it: local, ISO 8601 without offset, "2024-02-11T07:30"."""
    return moment.replace(tzinfo=None).isoformat(timespec="minutes")


def read_plan(data: dict, time_zone: str | ZoneInfo) -> StoredPlan:
    """`DistributionPlan.data` read, its times in `time_zone` (the election's)."""
    tz = time_zone if isinstance(time_zone, ZoneInfo) else ZoneInfo(time_zone)

    def moment(text: str | None) -> datetime | None:
        return datetime.fromisoformat(text).replace(tzinfo=tz) if text else None

    def stop(row: dict) -> Stop:
        arrive = moment(row["arrive"])
        depart = moment(row.get("depart")) or arrive
        return Stop(row["place"], arrive, depart, row.get("village_code", ""), tuple(row.get("station_ids", ())))

    def convoy(row: dict) -> Convoy:
        stops = tuple(stop(s) for s in row["stops"])
        day = date.fromisoformat(row["day"]) if "day" in row else stops[0].arrive.date()
        return Convoy(
            id=row["id"], day=day, kind=row["kind"], vehicle=row.get("vehicle", ""), capacity=row.get("capacity", 0),
            kits=row.get("kits", sum(s.kits for s in stops)), escort=row.get("escort", ""), stops=stops,
            water_escort=row.get("water_escort", ""), crossing=row.get("crossing", ""),
            departure=moment(row.get("departure")), arrival=moment(row.get("arrival")),
        )  # fmt: skip

    return StoredPlan(
        time_zone=tz,
        deadline=moment(data.get("deadline")),
        stations=data.get("stations", 0),
        convoys=tuple(convoy(c) for c in data["convoys"]),
        late=tuple(Late(e["station_id"], e["label"], moment(e["planned"]), e["late_minutes"], e.get("reason", "")) for e in data.get("late", ())),
        closures=tuple(Closure(c["crossing"], moment(c["start"]), moment(c["end"])) for c in data.get("closures", ())),
        notes=tuple(data.get("notes", ())),
        violations=tuple(data.get("violations", ())),
    )

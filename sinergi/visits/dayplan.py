"""The day of a joint monitoring visit: when to leave, which boat to take out and back, when the
team reaches each TPS. Pure (no Django, no database, no clock): fed minutes of the local day.

A visit leaves the district's capital at the start of the working day. Across a sea crossing it
takes the first departure it can still board (the earliest out gives the longest time on the
island), visits its TPS in the order planned, and takes the first departure back it can board
once the last TPS is done. When no departure back can be boarded that day, or none out, the plan
is refused with the reason in Indonesian: the team would be stranded on the island.

Times are minutes after local midnight (0–1439) of the visit's day, in the election's time zone.
"""

from dataclasses import dataclass

DAY_END = 24 * 60


@dataclass(frozen=True)
class Boat:
    """One direction of a crossing on the visit's day: departures (minutes), how long it takes,
    and the departures closed that day (weather, a closure recorded in the network)."""

    name: str
    departures: tuple[int, ...]
    duration_min: int
    closed: frozenset[int] = frozenset()

    def open_departures(self) -> list[int]:
        return sorted(d for d in set(self.departures) if d not in self.closed)


@dataclass(frozen=True)
class Trip:
    """What the planner is given.

    `legs` are the road minutes between consecutive points: for a trip across a crossing,
    landing → TPS 1, TPS 1 → TPS 2, …, last TPS → landing (one more than the TPS); on the
    mainland, capital → TPS 1, …, last TPS → capital. `lead_min` is the road from the capital to
    the port (0 on the mainland)."""

    start_min: int  # leaving the capital
    legs: tuple[int, ...]
    on_site_min: int  # at each TPS
    lead_min: int = 0
    boarding_min: int = 30  # at the port before a departure
    out: Boat | None = None
    back: Boat | None = None


@dataclass(frozen=True)
class Stop:
    arrive: int
    leave: int


@dataclass(frozen=True)
class DayPlan:
    stops: tuple[Stop, ...]
    out_departure: int | None  # None on the mainland
    back_departure: int | None
    home: int  # back in the capital (across a crossing: at the mainland port)


@dataclass(frozen=True)
class Refusal:
    reason: str  # Indonesian, for the form


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}.{minutes % 60:02d}"


def _tour(start: int, legs: tuple[int, ...], on_site: int) -> tuple[tuple[Stop, ...], int]:
    """The TPS in order from `start`, and the minute the last leg ends."""
    stops, now = [], start
    for leg in legs[:-1]:
        now += leg
        stops.append(Stop(now, now + on_site))
        now += on_site
    return tuple(stops), now + legs[-1]


def plan(trip: Trip) -> DayPlan | Refusal:
    """The day of `trip`, or why it cannot be done there and back the same day."""
    if len(trip.legs) < 2:
        raise ValueError("a trip visits at least one TPS: two legs or more")
    if (trip.out is None) != (trip.back is None):
        raise ValueError("a crossing is taken both ways or not at all")
    if trip.out is None:
        stops, home = _tour(trip.start_min, trip.legs, trip.on_site_min)
        if home > DAY_END:
            return Refusal(f"Kunjungan ke {len(stops)} TPS baru selesai lewat tengah malam; kurangi jumlah TPS atau bagi menjadi dua hari.")
        return DayPlan(stops, None, None, home)
    at_port = trip.start_min + trip.lead_min + trip.boarding_min
    outs = [d for d in trip.out.open_departures() if d >= at_port]
    if not outs:
        closed = " (sebagian ditutup hari itu)" if trip.out.closed else ""
        times = ", ".join(hhmm(d) for d in sorted(set(trip.out.departures))) or "tidak ada"
        return Refusal(
            f"Tidak ada keberangkatan {trip.out.name} yang dapat dikejar: tim tiba di pelabuhan pukul {hhmm(at_port)}, "
            f"keberangkatan {times}{closed}. Pilih hari lain."
        )
    out = outs[0]
    stops, at_landing = _tour(out + trip.out.duration_min, trip.legs, trip.on_site_min)
    backs = [d for d in trip.back.open_departures() if d >= at_landing + trip.boarding_min and d + trip.back.duration_min <= DAY_END]
    if not backs:
        last = trip.back.open_departures()
        last_text = f"keberangkatan terakhir pukul {hhmm(last[-1])}" if last else "tidak ada keberangkatan kembali yang buka"
        return Refusal(
            f"Tim tidak dapat kembali hari yang sama: kunjungan ke {len(stops)} TPS selesai dan tim tiba di pelabuhan pukul "
            f"{hhmm(at_landing)}, sedangkan {trip.back.name} {last_text}. Kurangi jumlah TPS atau bagi menjadi dua hari."
        )
    back = backs[0]
    return DayPlan(stops, out, back, back + trip.back.duration_min)

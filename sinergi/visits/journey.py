"""The day of a visit from the logistics network (reads only): which crossing its TPS lie across,
the crossing's departures and duration, the closures of that day, the road times; handed to the
pure `visits.dayplan`.

Assumptions, stated on docs/visits.md: the team leaves the district's capital (the network's KPU
warehouse stands for it) at the network's start of the working day; roads are driven at 40 km/h
on the mainland and 30 km/h on the islands, lengthened by the network's detour factor; a TPS
without coordinates is 20 minutes from the previous point. A crossing recorded one way only is
taken back at the same departure times from the landing, unless the network records the way back
(a crossing from the landing to the port), whose departures are then used.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sinergi.core.geo import distance_m
from sinergi.elections.models import Election
from sinergi.logistics.models import Crossing, CrossingClosure, Place, PlanSettings
from sinergi.regions.codes import district_of
from sinergi.stations.models import Station
from sinergi.visits import dayplan

MAINLAND_KMH = 40
ISLAND_KMH = 30
UNKNOWN_LEG_MIN = 20
BOARDING_MIN = 30


@dataclass(frozen=True)
class Journey:
    """A plan (or a refusal) with what the page and the document print."""

    result: dayplan.DayPlan | dayplan.Refusal
    crossing: Crossing | None
    back_name: str
    leaves_at: int  # minutes, local

    @property
    def refused(self) -> bool:
        return isinstance(self.result, dayplan.Refusal)


def _minutes(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def as_time(minutes: int | None) -> time | None:
    return None if minutes is None else time(min(minutes, 24 * 60 - 1) // 60, min(minutes, 24 * 60 - 1) % 60)


def _road(a: tuple[float, float] | None, b: tuple[float, float] | None, kmh: int, detour: float) -> int:
    if a is None or b is None:
        return UNKNOWN_LEG_MIN
    metres = distance_m(a[0], a[1], b[0], b[1]) * detour
    return max(1, round(metres / 1000 / kmh * 60))


def _closed(crossing: Crossing, day: date, zone: ZoneInfo) -> frozenset[int]:
    """The departures of `crossing` on `day` that fall within one of its closures."""
    start = datetime.combine(day, time.min, zone)
    closures = list(CrossingClosure.objects.filter(crossing=crossing, starts_at__lt=start + timedelta(days=1), ends_at__gt=start))
    closed = set()
    for departure in crossing.departures:
        moment = start + timedelta(minutes=_minutes(departure))
        if any(c.starts_at <= moment < c.ends_at for c in closures):
            closed.add(_minutes(departure))
    return frozenset(closed)


def _point(station: Station) -> tuple[float, float] | None:
    return (station.latitude, station.longitude) if station.latitude is not None else None


def crossing_of(election: Election, stations: list[Station]) -> tuple[Crossing | None, str]:
    """The one crossing the TPS lie across (None on the mainland), or an Indonesian reason why the
    visit cannot be planned in one day (TPS on different islands, a crossing not in the network)."""
    names = sorted({s.crossing if s.access == Station.Access.SEA else "" for s in stations})
    if len({district_of(s.village_id) for s in stations}) > 1:
        return None, "TPS yang dipilih berada di kabupaten/kota yang berbeda; satu kunjungan hanya ke TPS satu kabupaten/kota."
    if len(names) > 1:
        shown = ", ".join(n or "daratan" for n in names)
        return (
            None,
            f"TPS yang dipilih berada di sisi penyeberangan yang berbeda ({shown}); satu kunjungan hanya ke TPS yang dicapai dengan satu penyeberangan.",
        )
    if not names[0]:
        return None, ""
    district = district_of(stations[0].village_id)
    crossing = Crossing.objects.filter(election=election, district_id=district, name=names[0]).select_related("origin", "destination").first()
    if crossing is None:
        return (
            None,
            f"Penyeberangan '{names[0]}' tercatat pada TPS tetapi tidak ada di jaringan logistik {election.name}; minta KPU mencatatnya dengan jadwal keberangkatannya.",
        )
    return crossing, ""


def journey(election: Election, stations: list[Station], day: date, minutes_per_station: int) -> Journey | str:
    """The visit's day, or (a string) why its TPS cannot be visited in one trip."""
    crossing, problem = crossing_of(election, stations)
    if problem:
        return problem
    district = district_of(stations[0].village_id)  # one district: crossing_of refused several
    settings = PlanSettings.objects.filter(election=election, district_id=district).first() or PlanSettings(election=election, district_id=district)
    detour = float(settings.detour_factor)
    start = settings.work_start.hour * 60 + settings.work_start.minute
    warehouse = Place.objects.filter(election=election, district_id=district, kind=Place.Kind.WAREHOUSE).first()
    capital = (warehouse.latitude, warehouse.longitude) if warehouse else None
    points = [_point(s) for s in stations]
    zone = election.zone_at(district)
    if crossing is None:
        route = [capital, *points, capital]
        legs = tuple(_road(a, b, MAINLAND_KMH, detour) for a, b in zip(route, route[1:], strict=False))
        return Journey(dayplan.plan(dayplan.Trip(start_min=start, legs=legs, on_site_min=minutes_per_station)), None, "", start)
    port = (crossing.origin.latitude, crossing.origin.longitude)
    landing = (crossing.destination.latitude, crossing.destination.longitude)
    route = [landing, *points, landing]
    legs = tuple(_road(a, b, ISLAND_KMH, detour) for a, b in zip(route, route[1:], strict=False))
    out = dayplan.Boat(crossing.name, tuple(_minutes(d) for d in crossing.departures), crossing.duration_min, _closed(crossing, day, zone))
    way_back = Crossing.objects.filter(election=election, district_id=district, origin=crossing.destination, destination=crossing.origin).first()
    back_source = way_back or crossing
    back_name = way_back.name if way_back else f"{crossing.name}, arah kembali"
    back = dayplan.Boat(back_name, tuple(_minutes(d) for d in back_source.departures), back_source.duration_min, _closed(back_source, day, zone))
    trip = dayplan.Trip(
        start_min=start,
        legs=legs,
        on_site_min=minutes_per_station,
        lead_min=_road(capital, port, MAINLAND_KMH, detour),
        boarding_min=BOARDING_MIN,
        out=out,
        back=back,
    )
    return Journey(dayplan.plan(trip), crossing, back_name, start)

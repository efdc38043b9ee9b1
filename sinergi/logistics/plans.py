"""The distribution plan from the database: inputs, computing, storing, closing a crossing and
re-planning; the latest plan as a viewer may see it (`plan_for`). A stored plan is read by
`stored_plan.read_plan` (what changed between two plans: `stored_plan.changes_between`)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, record
from sinergi.core.tabular import InputRejected, RowError, Table
from sinergi.elections.models import Election
from sinergi.logistics import distribution
from sinergi.logistics.districts import network_district, stations_of, viewer_district
from sinergi.logistics.models import Crossing, CrossingClosure, DistributionPlan, Place, TravelTime, VehicleGroup
from sinergi.logistics.network import plan_settings as settings_of
from sinergi.logistics.network import require_network
from sinergi.logistics.plan_check import violations
from sinergi.logistics.routing import Point
from sinergi.logistics.stored_plan import Convoy, Late, StoredPlan, read_plan
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.stations.labels import tps_label
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def inputs_for(election: Election, district: Region, stations, closures: list[distribution.Closure] | None = None) -> distribution.Inputs:
    """The planner's inputs: the network, vehicles, rules and escorts stored for the district of
    the election, and one delivery per TPS of `stations` (a queryset, cut to the district: a plan
    never carries another district's TPS)."""
    mine = {"election": election, "district": district}
    plan_settings = settings_of(election, district)
    places = {p.key: p for p in Place.objects.filter(**mine)}
    warehouse = next((p for p in places.values() if p.kind == Place.Kind.WAREHOUSE), None)
    if warehouse is None:
        raise ValidationError(f"Jaringan distribusi {district.name} ({election.name}) belum punya gudang KPU.")
    tz = election.zone_at(district.code)
    crossings = {
        c.name: distribution.Crossing(c.name, c.origin.key, c.destination.key, c.mode, c.duration_min, tuple(_minutes(t) for t in c.departures), c.capacity)
        for c in Crossing.objects.filter(**mine).select_related("origin", "destination")
    }
    if closures is None:
        closures = [
            distribution.Closure(c.crossing.name, timezone.localtime(c.starts_at, tz).replace(tzinfo=None), timezone.localtime(c.ends_at, tz).replace(tzinfo=None))
            for c in CrossingClosure.objects.filter(crossing__election=election, crossing__district=district).select_related("crossing")
        ]
    vehicles = [
        distribution.VehicleGroup(str(v.pk), v.name, v.count, v.capacity, float(v.speed_kmh), v.base.key, v.reloads)
        for v in VehicleGroup.objects.filter(**mine).select_related("base").order_by("pk")
    ]
    stations = stations.filter(village__code__startswith=district.code + ".")
    rules = distribution.Rules(
        island_days_before=plan_settings.island_days_before,
        mainland_days_before=plan_settings.mainland_days_before,
        deadline_days_before=plan_settings.deadline_days_before,
        work_start_min=plan_settings.work_start.hour * 60 + plan_settings.work_start.minute,
        work_end_min=plan_settings.work_end.hour * 60 + plan_settings.work_end.minute,
        max_route_min=plan_settings.max_route_min,
        detour_factor=float(plan_settings.detour_factor),
    )
    villages = {
        r.code: r
        for r in Region.objects.filter(code__in=stations.values("village_id")).only("code", "name", "interior_lat", "interior_lon", "centroid_lat", "centroid_lon")
    }
    deliveries = []
    for s in stations.order_by("village_id", "number"):
        village = villages[s.village_id]
        lat = village.interior_lat if village.interior_lat is not None else village.centroid_lat
        lon = village.interior_lon if village.interior_lon is not None else village.centroid_lon
        if lat is None:
            lat, lon = s.latitude, s.longitude
        if lat is None:
            raise ValidationError(f"Desa {village.name} ({village.code}) tidak punya titik: TPS {s.number} tidak dapat direncanakan.")
        crossing = s.crossing if s.access == Station.Access.SEA else None
        deliveries.append(distribution.Delivery(s.pk, tps_label(s.number, village.name), village.code, village.name, Point(lat, lon, village.code), crossing))
    places_ = {k: distribution.Place(k, p.name, Point(p.latitude, p.longitude, k)) for k, p in places.items()}
    escorts = distribution.Escorts(plan_settings.road_escorts, plan_settings.water_escorts)
    imported = {(o, d): m for o, d, m in TravelTime.objects.filter(**mine).values_list("origin", "destination", "minutes")}
    return distribution.Inputs(election.voting_date, warehouse.key, places_, crossings, vehicles, escorts, rules, deliveries, closures, travel_minutes=imported)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="minutes") if value else None


def to_data(plan: distribution.Plan, inputs: distribution.Inputs) -> dict:
    """The plan as JSON-ready data (times local to the election, ISO 8601 without offset)."""
    return {
        "deadline": _iso(plan.deadline),
        "stations": len(inputs.deliveries),
        "convoys": [
            {
                "id": c.id, "day": c.day.isoformat(), "kind": c.kind, "vehicle": c.vehicle, "capacity": c.capacity, "kits": c.kits,
                "escort": c.escort, "water_escort": c.water_escort, "crossing": c.crossing,
                "departure": _iso(c.departure), "arrival": _iso(c.arrival),
                "stops": [{"place": s.place, "village_code": s.village_code, "arrive": _iso(s.arrive), "depart": _iso(s.depart), "station_ids": s.station_ids} for s in c.stops],
            }  # fmt: skip
            for c in plan.convoys
        ],
        "late": [{"station_id": e.station_id, "label": e.label, "planned": _iso(e.planned), "late_minutes": e.late_minutes, **({"reason": e.reason} if e.reason else {})} for e in plan.late],
        "closures": [{"crossing": c.crossing, "start": _iso(c.start), "end": _iso(c.end)} for c in inputs.closures],
        "notes": plan.notes,
        "violations": violations(plan, inputs),
    }


def compute(
    election: Election, district: Region, stations, *, closures=None, iterations: int | None = None, seconds: float | None = None, progress: Callable[[str], None] | None = None
) -> dict:
    """The district's plan for `stations` (cut to the district), as stored data; times are local
    to the district (`time_zone`)."""
    inputs = inputs_for(election, district, stations, closures)
    iterations = iterations or settings.ROUTING_ITERATIONS
    plan = distribution.make_plan(inputs, iterations=iterations, seconds=seconds, progress=progress)
    return {"time_zone": election.zone_at(district.code).key, "district": district.code, **to_data(plan, inputs)}


def latest_of(election: Election, district: Region) -> DistributionPlan | None:
    return DistributionPlan.objects.filter(election=election, district=district).first()


def make_plan(*, actor: User | None, election: Election, district: Region | None = None, reason: str = "", iterations: int | None = None, progress=None) -> DistributionPlan:
    """Compute the district's plan for the TPS the actor may see and store it (the previous one
    of the district kept for comparison). `district`: see `districts.network_district`."""
    district = district or network_district(election)
    if actor is not None:
        require_network(actor, election, district)  # the KPU of the district, whole
    stations = stations_visible_to(actor, election) if actor is not None else Station.objects.filter(election=election)
    data = compute(election, district, stations, iterations=iterations, progress=progress)
    if data["violations"]:
        # By construction this cannot happen; if it does, refuse rather than store a wrong plan.
        raise ValidationError(["Rencana melanggar aturan:"] + data["violations"])
    with transaction.atomic(durable=True):
        previous = latest_of(election, district)
        saved = DistributionPlan.objects.create(election=election, district=district, created_by=actor, reason=reason, previous=previous, data=data)
        summary = {"konvoi": [None, len(data["convoys"])], "terlambat": [None, len(data["late"])]}
        if reason:
            summary["alasan"] = [None, reason]
        label = f"Rencana distribusi {election.name} · {district.name}"
        record(actor=actor, changes=[Change("distribution_plan.create", "logistics.distributionplan", saved.pk, label, election.slug, summary, district.code)])
    return saved


def close_crossing(*, actor: User | None, crossing: Crossing, starts_at: datetime, ends_at: datetime, reason: str) -> CrossingClosure:
    """Record that a crossing is closed (high waves); re-plan afterwards with make_plan."""
    if actor is not None:
        require_network(actor, crossing.election, crossing.district)
    if ends_at <= starts_at:
        raise ValidationError("Waktu selesai penutupan harus setelah waktu mulai.")
    if not reason.strip():
        raise ValidationError("Isi alasan penutupan (misalnya gelombang tinggi).")
    with transaction.atomic(durable=True):
        closure = CrossingClosure.objects.create(crossing=crossing, starts_at=starts_at, ends_at=ends_at, reason=reason.strip(), created_by=actor)
        tz = crossing.election.zone_at(crossing.district_id)
        changes = {"mulai": [None, timezone.localtime(starts_at, tz).isoformat(timespec="minutes")], "selesai": [None, timezone.localtime(ends_at, tz).isoformat(timespec="minutes")], "alasan": [None, reason.strip()]}
        record(actor=actor, changes=[Change("crossing.close", "logistics.crossing", crossing.pk, crossing.name, crossing.election.slug, changes, crossing.district_id)])
    return closure


def reopen_crossing(*, actor: User | None, closure: CrossingClosure) -> None:
    if actor is not None:
        require_network(actor, closure.crossing.election, closure.crossing.district)
    with transaction.atomic(durable=True):
        crossing = closure.crossing
        closure.delete()
        record(actor=actor, changes=[Change("crossing.reopen", "logistics.crossing", crossing.pk, crossing.name, crossing.election.slug, {}, crossing.district_id)])


def latest_plan(user: User, election: Election, district: Region) -> DistributionPlan | None:
    """The district's stored plan whole: for planning (comparing, re-planning). What people read
    goes through `plan_for`, which leaves out what lies outside their area."""
    require(user, Perm.VIEW_LOGISTICS)
    return latest_of(election, district)


@dataclass(frozen=True)
class VisiblePlan:
    """The latest plan as one viewer may see it: the one reader of a stored plan for pages,
    documents, exports and map layers (read by `stored_plan.read_plan`).

    A convoy is listed when the viewer sees the whole district or it carries a kit of a TPS in the
    viewer's area. A listed convoy keeps its vehicle, escorts, crossing and times; its stops keep
    only the viewer's TPS (a stop with no kit — warehouse, harbour, reload — stays), and the TPS of
    other areas it carries are only counted (`Convoy.other_stations`)."""

    plan: DistributionPlan
    district: Region
    stored: StoredPlan  # cut to the viewer (`StoredPlan.cut_to`)
    stations: dict[int, tuple[int, str]]  # visible station id -> (TPS number, village name)
    whole_district: bool

    @property
    def deadline(self) -> datetime | None:
        return self.stored.deadline

    @property
    def convoys(self) -> tuple[Convoy, ...]:
        return self.stored.convoys

    @property
    def late(self) -> tuple[Late, ...]:
        return self.stored.late

    def convoy(self, convoy_id: str) -> Convoy | None:
        return self.stored.convoy(convoy_id)

    def label(self, station_id: int) -> str:
        number, village = self.stations[station_id]
        return tps_label(number, village)


def sees_whole_district(user: User) -> bool:
    return user.area_code is None or codes.level_of(user.area_code) <= codes.DISTRICT


def plan_for(user: User, election: Election, district: Region | None = None) -> VisiblePlan | None:
    """The district's latest plan cut to the user's area (VisiblePlan), or None when there is none
    (or no district: `district` defaults to `districts.viewer_district`)."""
    district = district or viewer_district(user, election)
    if district is None:
        return None
    plan = latest_plan(user, election, district)
    if plan is None:
        return None
    visible = stations_visible_to(user, election).filter(village__code__startswith=district.code + ".")
    stations = {sid: (number, village) for sid, number, village in visible.values_list("id", "number", "village__name")}
    if not stations:
        return None  # another district's plan: nothing of it is the viewer's
    whole = sees_whole_district(user)
    stored = read_plan(plan.data, plan.data.get("time_zone", election.time_zone)).cut_to(set(stations), every_convoy=whole)
    return VisiblePlan(plan=plan, district=district, stored=stored, stations=stations, whole_district=whole)



TRAVEL_COLUMNS = ("dari", "ke", "menit")


def import_travel_times(*, actor: User | None, election: Election, district: Region | None = None, table: Table, dry_run: bool = False) -> tuple[int, int]:
    """Replace the district's imported travel times with the file's, all or nothing. Columns:
    `dari`, `ke` (a place key such as `gudang-swecapura`, or a village code of the district) and
    `menit`. Returns (rows, pairs changed); with `dry_run` only counts them (the preview before
    confirming)."""
    district = district or network_district(election)
    if actor is not None:
        require_network(actor, election, district)
    mine = {"election": election, "district": district}
    keys = set(Place.objects.filter(**mine).values_list("key", flat=True))
    villages = set(stations_of(election, district).values_list("village_id", flat=True).distinct())
    errors = [RowError(table.header_row, c, f"Kolom wajib '{c}' tidak ada.") for c in TRAVEL_COLUMNS if c not in table.headers]
    if errors:
        raise InputRejected(errors)
    wanted: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], int] = {}
    for row_no, values in table.rows:
        origin, destination, text = values.get("dari", "").strip(), values.get("ke", "").strip(), values.get("menit", "").strip()
        for column, key in (("dari", origin), ("ke", destination)):
            if key not in keys and key not in villages:
                errors.append(RowError(row_no, column, f"'{key}' bukan kode tempat jaringan ({', '.join(sorted(keys))}) atau kode desa yang punya TPS."))
        if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= 24 * 60:
            errors.append(RowError(row_no, "menit", f"Waktu tempuh '{text}' harus bilangan bulat menit antara 1 dan 1440."))
            continue
        pair = (origin, destination)
        if pair in first:
            errors.append(RowError(row_no, "ke", f"Pasangan {origin} → {destination} muncul dua kali (juga di baris {first[pair]})."))
            continue
        first[pair] = row_no
        wanted[pair] = int(text)
    if errors:
        raise InputRejected(errors)
    with transaction.atomic(durable=True):
        before = {(o, d): m for o, d, m in TravelTime.objects.filter(**mine).values_list("origin", "destination", "minutes")}
        changed = sum(1 for pair in set(before) | set(wanted) if before.get(pair) != wanted.get(pair))
        if changed and not dry_run:
            TravelTime.objects.filter(**mine).delete()
            TravelTime.objects.bulk_create([TravelTime(**mine, origin=o, destination=d, minutes=m) for (o, d), m in wanted.items()])
            label = f"{election.name} · {district.name}"
            record(actor=actor, changes=[Change("travel_times.import", "elections.election", election.pk, label, election.slug, {"pasangan": [len(before), len(wanted)]}, district.code)])
    return len(wanted), changed

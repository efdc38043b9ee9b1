"""The logistics status board: per TPS complete / partial / missing against H-1, totals per village
and kecamatan, and the alerts (discrepancies, convoys behind schedule, TPS at risk of missing H-1)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.elections.models import Election
from sinergi.elections.queries import board_clock
from sinergi.logistics.custody import party_labels
from sinergi.logistics.districts import districts_in, latest_plans
from sinergi.logistics.models import Consignment, Discrepancy, Handover, KitItem, PlanSettings
from sinergi.logistics.stored_plan import read_plan
from sinergi.regions import codes
from sinergi.stations.labels import tps_label
from sinergi.stations.queries import stations_visible_to

COMPLETE, PARTIAL, MISSING = "lengkap", "sebagian", "belum"
AT_RISK_HOURS = 12  # a TPS without its kit this close to the deadline is an alert


@dataclass
class Row:
    station_id: int
    label: str
    village_code: str
    village_name: str
    status: str
    detail: str
    consignment_id: int | None


@dataclass
class Alert:
    kind: str  # "temuan", "konvoi", "tenggat"
    text: str
    consignment_id: int | None = None
    # The moment of the event (the handover with the discrepancy, the convoy's planned arrival at
    # the stop, the H-1 deadline), never the board's clock: the situation room orders by it.
    at: datetime | None = None


class _Consignment(NamedTuple):
    pk: int
    station_id: int
    state: str
    holder: str
    issues: int  # unresolved discrepancies


@dataclass
class Board:
    as_of: datetime
    deadline: datetime
    rows: list[Row]
    by_village: dict[str, Counter]
    by_kecamatan: dict[str, Counter]
    total: Counter
    alerts: list[Alert] = field(default_factory=list)


def deadline_of(election: Election, area: str | None = None) -> datetime:
    """End of the working day of H-1 (the district's plan settings, 18.00 by default), local to
    the district; over several districts (a province viewer) the earliest of theirs."""
    found = [
        datetime.combine(election.voting_date - timedelta(days=s.deadline_days_before), s.work_end, tzinfo=election.zone_at(s.district_id))
        for s in PlanSettings.objects.filter(districts_in(area), election=election)
    ]
    if not found:
        settings = PlanSettings(election=election)
        found = [datetime.combine(election.voting_date - timedelta(days=settings.deadline_days_before), settings.work_end, tzinfo=election.zone_at(area or ""))]
    return min(found)


def default_as_of(election: Election) -> datetime:
    """Now; for an election long past (the demo), the moment of its last recorded handover."""
    return board_clock(election, lambda: Handover.objects.filter(consignment__election=election).order_by("-handed_at").values_list("handed_at", flat=True).first())


def board_for(user: User, election: Election, as_of: datetime | None = None) -> Board:
    require(user, Perm.VIEW_LOGISTICS)
    tz = ZoneInfo(election.time_zone)
    as_of = timezone.localtime(as_of, tz) if as_of else default_as_of(election)
    deadline = deadline_of(election, user.area_code)
    visible = stations_visible_to(user, election)
    # Only the columns the board reads, as tuples: building a model (with its JSON contents) and a
    # TPS with its joined rows for every TPS was most of the board's time.
    consignments = {
        row[1]: _Consignment(*row)
        for row in Consignment.objects.filter(election=election, direction=Consignment.Direction.OUT, station__in=visible.order_by().values("pk"))
        .order_by()
        .annotate(issues=Count("handovers__discrepancies", filter=Q(handovers__discrepancies__resolved_at__isnull=True)))
        .values_list("pk", "station_id", "state", "holder", "issues")
    }
    # Only a kit held along the way is described by its holder (a delivered one is "diterima KPPS").
    labels = party_labels({c.holder for c in consignments.values() if c.state == Consignment.State.HELD})
    rows = []
    for station_id, number, village_code, village_name in visible.order_by("village_id", "number").values_list("pk", "number", "village_id", "village__name"):
        c = consignments.get(station_id)
        if c is None or c.state == Consignment.State.PLANNED:
            status, detail = MISSING, "belum dikirim dari gudang KPU"
        elif c.state == Consignment.State.DELIVERED and not c.issues:
            status, detail = COMPLETE, "diterima KPPS, lengkap"
        elif c.state == Consignment.State.DELIVERED:
            status, detail = PARTIAL, f"diterima KPPS dengan {c.issues} temuan"
        elif c.state == Consignment.State.DISPATCHED:
            status, detail = PARTIAL, "dalam perjalanan dari gudang KPU"
        else:
            status, detail = PARTIAL, f"dipegang {labels.get(c.holder, c.holder)}"
        label = tps_label(number, village_name)
        rows.append(Row(station_id, label, village_code, village_name, status, detail, c.pk if c else None))
    by_village: dict[str, Counter] = defaultdict(Counter)
    by_kecamatan: dict[str, Counter] = defaultdict(Counter)
    total: Counter = Counter()
    for row in rows:
        for bucket in (by_village[row.village_code], by_kecamatan[codes.kecamatan_of(row.village_code)], total):
            bucket[row.status] += 1
    board = Board(as_of, deadline, rows, dict(sorted(by_village.items())), dict(sorted(by_kecamatan.items())), total)
    _alerts(board, election, visible, consignments, user.area_code)
    return board


def _alerts(board: Board, election: Election, visible, consignments: dict[int, _Consignment], area: str | None) -> None:
    # Only the columns the alert names, as tuples (no model per row: building them was most of the
    # cost); the board's consignments as a subquery (a list of every TPS's id costs more to build
    # than to run).
    kinds = dict(Discrepancy.Kind.choices)
    # The item by its name, never its code (a subquery: no query more for the board).
    item_name = Subquery(KitItem.objects.filter(election=election, code=OuterRef("item_code")).values("name")[:1])
    shown = (
        "note", "kind", "quantity", "item_name", "handover__sequence", "handover__handed_at", "handover__consignment_id",
        "handover__consignment__station__number", "handover__consignment__station__village__name",
    )  # fmt: skip
    for note, kind, quantity, item, sequence, handed_at, consignment_id, number, village in (
        Discrepancy.objects.filter(
            resolved_at__isnull=True,
            handover__consignment__election=election,
            handover__consignment__direction=Consignment.Direction.OUT,
            handover__consignment__station__in=visible.order_by().values("pk"),
        )
        .annotate(item_name=Coalesce(item_name, F("item_code")))
        .order_by("handover", "pk")  # the model's order
        .values_list(*shown)
    ):
        note = f" — {note}" if note else ""
        station = tps_label(number, village)
        board.alerts.append(Alert("temuan", f"{station}: {str(kinds.get(kind, kind)).lower()} {quantity} {item} saat serah terima ke-{sequence}{note}", consignment_id, handed_at))
    # Convoys behind schedule: a stop whose planned arrival has passed without its kits handed over.
    # Once every kit is handed over none can be; the stored plan (a large JSON document) is then not read.
    pending = any(c.state not in (Consignment.State.HELD, Consignment.State.DELIVERED) for c in consignments.values())
    plans = latest_plans(election, area) if pending else []
    handed = {sid for sid, c in consignments.items() if c.state in (Consignment.State.HELD, Consignment.State.DELIVERED)}
    for plan in plans:
        # Cut to the viewer's TPS like every reader of the plan (plans.plan_for), from the ids the
        # board already holds.
        for convoy in read_plan(plan.data, plan.data.get("time_zone", election.time_zone)).cut_to(set(consignments), every_convoy=False).convoys:
            if not convoy.hands_over:
                continue
            for stop in convoy.stops:
                waiting = [sid for sid in stop.station_ids if sid in consignments and sid not in handed]
                if waiting and stop.arrive < board.as_of:
                    text = f"Konvoi {convoy.id} ({convoy.vehicle}) terlambat: {stop.place} dijadwalkan {stop.arrive_time} tanggal {stop.arrive_day}, {len(waiting)} paket belum tercatat diterima."
                    board.alerts.append(Alert("konvoi", text, at=stop.arrive))
    left = board.deadline - board.as_of
    if left < timedelta(hours=AT_RISK_HOURS):
        for row in board.rows:
            if row.status == MISSING or (row.status == PARTIAL and not row.detail.startswith("diterima")):
                when = "tenggat H-1 sudah lewat" if left.total_seconds() <= 0 else f"tenggat H-1 tinggal {int(left.total_seconds() // 3600)} jam"
                board.alerts.append(Alert("tenggat", f"{row.label}: {row.detail}; {when}.", row.consignment_id, board.deadline))

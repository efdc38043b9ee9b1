"""The situation room: key counts, alerts and a timeline for one election, scoped to the viewer.

Everything comes from the parts' own reads (`stations.queries`, `risk.queries.classes_for`,
`guard.queries.posts_for`, `logistics.board.board_for`, `supervisors.coverage.progress_for`) with
the viewer's permissions and area; what the viewer's agency may not see is left out (None), never
emptied in a template.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.core.alerts import Alert
from sinergi.elections.models import Election
from sinergi.elections.queries import board_clock
from sinergi.guard.queries import posts_for
from sinergi.logistics.board import board_for
from sinergi.logistics.models import Handover
from sinergi.logistics.queries import board_alerts
from sinergi.risk.models import ChecklistAnswer, StationClass
from sinergi.risk.queries import change_alerts, change_rows, classes_with_changes
from sinergi.situation import sources
from sinergi.stations.labels import tps_label
from sinergi.stations.models import Station
from sinergi.stations.queries import guarded_kecamatan, stations_visible_to, stations_watched_by
from sinergi.supervisors.coverage import Progress, progress_for, stage_due
from sinergi.supervisors.models import Incident, Question, Report
from sinergi.supervisors.queries import SITUATION_MISSING_NAMED, progress_alerts

TIMELINE_LENGTH = 20  # events shown, newest first
LOGISTICS_ALERTS = "sinergi.logistics.queries.situation_alerts"
REPORTS_ALERTS = "sinergi.supervisors.queries.situation_alerts"
RISK_ALERTS = "sinergi.risk.queries.situation_alerts"


@dataclass
class Event:
    at: datetime
    source: str
    text: str
    url: str = ""


@dataclass
class Situation:
    as_of: datetime
    stations: int
    vulnerable: int  # TPS with at least one vulnerability indicator present (every agency)
    classes: Counter | None = None  # police class -> TPS (police, Bawaslu)
    logistics: Counter | None = None  # lengkap / sebagian / belum
    reports: dict | None = None  # stage, label, due, reported, total, missing
    incidents: dict | None = None  # total, and per severity: incidents so far
    extra: list[sources.Count] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    failed_sources: list[str] = field(default_factory=list)
    timeline: list[Event] = field(default_factory=list)


def last_recorded(election: Election) -> datetime | None:
    """The latest moment anything of voting day was recorded: a report, an incident, a handover."""

    moments = [
        Report.objects.filter(election=election).aggregate(m=Max("observed_at"))["m"],
        Incident.objects.filter(election=election).aggregate(m=Max("occurred_at"))["m"],
        Handover.objects.filter(consignment__election=election).aggregate(m=Max("handed_at"))["m"],
    ]
    moments = [m for m in moments if m is not None]
    return max(moments) if moments else None


def clock(election: Election, as_of: datetime | None = None) -> datetime:
    """The moment shown, in the election's time zone: `as_of`, else now; for an election long
    over (the demo), the last moment anything was recorded."""
    if as_of is not None:
        return timezone.localtime(as_of, ZoneInfo(election.time_zone))
    return board_clock(election, lambda: last_recorded(election))


def situation_for(user: User, election: Election, as_of: datetime | None = None) -> Situation:
    require(user, Perm.VIEW_SITUATION)
    now = clock(election, as_of)
    visible = stations_visible_to(user, election)
    situation = Situation(now, visible.count(), _vulnerable(visible))
    # The boards counted here also give their part's alerts: computed once, handed to the gathering.
    known = {}
    if can(user, Perm.VIEW_POLICE_CLASS):
        classes, changes = classes_with_changes(user, election)
        situation.classes = Counter(level for level, _source in classes.values())
        known[RISK_ALERTS] = change_alerts(change_rows(changes), election)
    if can(user, Perm.VIEW_LOGISTICS):
        board = board_for(user, election, now)
        situation.logistics = board.total
        known[LOGISTICS_ALERTS] = board_alerts(board, election)
    if can(user, Perm.VIEW_VOTING_DAY):
        progress = progress_for(user, election, stage_due(election, now, user.area_code) or Question.Stage.PREPARATION, now, named=SITUATION_MISSING_NAMED)
        situation.reports, situation.incidents = _reports(progress, election, now, user.area_code)
        known[REPORTS_ALERTS] = progress_alerts(progress, election)
    situation.extra, failed_counts = sources.gather_counts(user, election, now)
    situation.alerts, failed_alerts = sources.gather_alerts(user, election, now, known)
    situation.failed_sources = failed_counts + failed_alerts
    situation.timeline = timeline_for(user, election, now, visible)
    return situation


def guard_for(user: User, election: Election) -> dict:
    """The guard plan in numbers: posts, police, Linmas, personnel shortage, TPS no formation covers.
    Apart from the live counts: the plan changes when the police change classes, formation or
    personnel, not with each report, so the page refreshes it every few minutes."""
    plan, _classes, without_formation = posts_for(user, election)
    return {
        "posts": len(plan.posts),
        "police": plan.police,
        "linmas": plan.linmas,
        "shortage": sum(d.shortage for d in plan.kecamatans),
        "without_formation": without_formation,
    }


def _vulnerable(visible) -> int:
    return ChecklistAnswer.objects.filter(present=True, station__in=visible.order_by().values("pk")).order_by().values("station_id").distinct().count()


def _reports(progress: Progress, election: Election, now: datetime, area: str | None) -> tuple[dict, dict]:
    reports = {
        "stage": progress.stage,
        "label": Question.Stage(progress.stage).label,
        "due": progress.due,
        "is_due": stage_due(election, now, area) is not None,
        "reported": progress.reported,
        "total": progress.total,
        "missing": progress.missing,
    }
    incidents = Counter(i.severity for i in progress.incidents)
    return reports, {"total": len(progress.incidents), **{severity: incidents[severity] for severity in Incident.Severity.values}}


def timeline_for(user: User, election: Election, now: datetime, visible=None) -> list[Event]:
    """What happened lately in the viewer's area and share, newest first, at most TIMELINE_LENGTH:
    Form A reports and incidents (those who read reports), handovers (logistics), police classes
    set (police, Bawaslu). Each kind is one bounded query ordered by its time, without joins; the
    TPS are named after, in one query."""
    visible = (visible if visible is not None else stations_visible_to(user, election)).order_by().values("pk")
    n = TIMELINE_LENGTH
    found: list[tuple] = []  # (at, kind, station id, details)
    full_reports = can(user, Perm.VIEW_REPORTS)
    if can(user, Perm.VIEW_VOTING_DAY):
        # A Polsek follows the voting day of the kecamatan it guards too (`stations_watched_by`).
        watched = stations_watched_by(user, election).order_by().values("pk") if guarded_kecamatan(user) else visible
        reports = (
            Report.objects.filter(election=election, station__in=watched, observed_at__lte=now)
            .order_by("-observed_at")
            .values_list("observed_at", "station_id", "stage", "pk")[:n]
        )
        found += [(at, "report", sid, (stage, pk)) for at, sid, stage, pk in reports]
        incidents = (
            Incident.objects.filter(election=election, station__in=watched, occurred_at__lte=now)
            .order_by("-occurred_at")
            .values_list("occurred_at", "station_id", "severity", "category")[:n]
        )
        found += [(at, "incident", sid, (severity, category)) for at, sid, severity, category in incidents]
    if can(user, Perm.VIEW_LOGISTICS):
        handovers = (
            Handover.objects.filter(consignment__election=election, consignment__station__in=visible, handed_at__lte=now)
            .order_by("-handed_at")
            .values_list("handed_at", "consignment__station_id", "sequence", "place", "consignment_id")[:n]
        )
        found += [(at, "handover", sid, (sequence, place, cid)) for at, sid, sequence, place, cid in handovers]
    if can(user, Perm.VIEW_POLICE_CLASS):
        classes = StationClass.objects.filter(station__in=visible, set_at__lte=now).order_by("-set_at").values_list("set_at", "station_id", "level")[:n]
        found += [(at, "class", sid, (level,)) for at, sid, level in classes]
    found.sort(key=lambda row: row[0], reverse=True)
    found = found[:n]
    names = {
        pk: tps_label(number, village)
        for pk, number, village in Station.objects.filter(pk__in={row[2] for row in found}).values_list("pk", "number", "village__name")
    }  # as Station.__str__
    stages, levels = dict(Question.Stage.choices), dict(StationClass.Level.choices)
    severities, categories = dict(Incident.Severity.choices), dict(Incident.Category.choices)
    slug = election.slug
    events = []
    for at, kind, sid, details in found:
        tps = names.get(sid, "")
        if kind == "report":
            text = _("Form A %(stage)s: %(tps)s") % {"stage": str(stages.get(details[0], details[0])).lower(), "tps": tps}
            # The report's Form A, which whoever reads reports may open; the TPS's filing page is
            # for those who file (a Panwascam reads reports but files none: it answered 403). The
            # police open the TPS's voting-day status instead (no Form A: it names people).
            url = reverse("supervisors:form_a", args=[slug, details[1]]) if full_reports else reverse("supervisors:station_status", args=[slug, sid])
            events.append(Event(at, _("Laporan PTPS"), text, url))
        elif kind == "incident":
            severity, category = details
            events.append(
                Event(
                    at,
                    _("Kejadian"),
                    f"{severities.get(severity, severity)}: {categories.get(category, category)} — {tps}",
                    reverse("supervisors:station_status", args=[slug, sid]),
                )
            )
        elif kind == "handover":
            sequence, place, cid = details
            text = _("Serah terima ke-%(n)s: %(tps)s di %(place)s") % {"n": sequence, "tps": tps, "place": place}
            events.append(Event(at, _("Logistik"), text, reverse("logistics:consignment", args=[slug, cid])))
        else:
            text = _("Kelas %(level)s ditetapkan: %(tps)s") % {"level": str(levels.get(details[0], details[0])).lower(), "tps": tps}
            events.append(Event(at, _("Pengamanan"), text, reverse("risk:classes", args=[slug])))
    return events

"""The voting-day coverage board: which TPS have reported each stage, by kecamatan and village,
and the alerts (no opening report by 07.30 local time, other stages overdue, incidents)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Min
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.elections.models import Election
from sinergi.elections.queries import board_clock
from sinergi.stations.queries import stations_visible_to
from sinergi.supervisors.models import Incident, Question, Report

# By when (local time on voting day) each stage's report is expected.
DUE = {
    Question.Stage.PREPARATION: time(7, 30),
    Question.Stage.VOTING: time(13, 30),
    Question.Stage.COUNTING: time(21, 0),
    Question.Stage.TRANSFER: time(23, 59),
}
SEVERITY_ORDER = {"tinggi": 0, "sedang": 1, "rendah": 2}


@dataclass
class Coverage:
    stage: str
    as_of: datetime
    due: datetime
    total: int
    reported: dict[int, datetime]  # station id -> first report's observed time
    by_district: dict[str, Counter] = field(default_factory=dict)
    by_village: dict[str, Counter] = field(default_factory=dict)
    missing: list = field(default_factory=list)  # stations without a report, once it is due
    incidents: list[Incident] = field(default_factory=list)
    stations: list = field(default_factory=list)


def default_as_of(election: Election) -> datetime:
    """Now; for an election long past (the demo), the moment of its last report."""
    return board_clock(election, lambda: Report.objects.filter(election=election).order_by("-observed_at").values_list("observed_at", flat=True).first())


def coverage_for(user: User, election: Election, stage: str, as_of: datetime | None = None) -> Coverage:
    require(user, Perm.VIEW_REPORTS)
    tz = ZoneInfo(election.time_zone)
    as_of = timezone.localtime(as_of, tz) if as_of else default_as_of(election)
    due = datetime.combine(election.voting_date, DUE[stage], tzinfo=tz)
    visible = stations_visible_to(user, election)
    # The villages' polygons are not shown here; the TPS as a subquery (a list of ids costs more to
    # build than the query takes).
    stations = list(visible.defer("village__boundary", "village__parent__boundary").order_by("village_id", "number"))
    first = dict(
        Report.objects.filter(election=election, stage=stage, station__in=visible.order_by().values("pk"), observed_at__lte=as_of)
        .values("station_id")
        .annotate(at=Min("observed_at"))
        .values_list("station_id", "at")
    )
    coverage = Coverage(stage, as_of, due, len(stations), first, stations=stations)
    by_district: dict[str, Counter] = defaultdict(Counter)
    by_village: dict[str, Counter] = defaultdict(Counter)
    for s in stations:
        state = "lapor" if s.pk in first else "belum"
        by_district[s.village.parent_id][state] += 1
        by_village[s.village_id][state] += 1
        if s.pk not in first and as_of >= due:
            coverage.missing.append(s)
    coverage.by_district, coverage.by_village = dict(sorted(by_district.items())), dict(sorted(by_village.items()))
    incidents = (
        Incident.objects.filter(election=election, station__in=visible.order_by().values("pk"), occurred_at__lte=as_of)
        .select_related("station__village")
        .defer("station__village__boundary")
    )
    coverage.incidents = sorted(incidents, key=lambda i: (SEVERITY_ORDER.get(i.severity, 9), -i.occurred_at.timestamp()))
    return coverage


def stage_due(election: Election, as_of: datetime) -> str | None:
    """The last stage whose report was due by `as_of` (DUE, local time on voting day); None before
    the first one (07.30 on voting day)."""
    tz = ZoneInfo(election.time_zone)
    passed = [stage for stage, at in DUE.items() if datetime.combine(election.voting_date, at, tzinfo=tz) <= as_of]
    return passed[-1] if passed else None


@dataclass
class Progress:
    """`coverage_for` in numbers only, for the situation room: the same definitions (a TPS has
    reported a stage when a report of it was observed by `as_of`; it is missing once the stage is
    due), counted in SQL instead of building every TPS."""

    stage: str
    as_of: datetime
    due: datetime
    total: int
    reported: int
    missing: int
    first_missing: list[str]  # labels of the first missing TPS, in village and number order
    incidents: list[Incident]


def progress_for(user: User, election: Election, stage: str, as_of: datetime, *, named: int = 10) -> Progress:
    require(user, Perm.VIEW_REPORTS)
    tz = ZoneInfo(election.time_zone)
    as_of = timezone.localtime(as_of, tz)
    due = datetime.combine(election.voting_date, DUE[stage], tzinfo=tz)
    visible = stations_visible_to(user, election).order_by()
    filed = Report.objects.filter(election=election, stage=stage, station__in=visible.values("pk"), observed_at__lte=as_of).order_by()
    total = visible.count()
    reported = filed.values("station_id").distinct().count()
    missing, first = 0, []
    if as_of >= due and reported < total:
        missing = total - reported
        late = visible.exclude(pk__in=filed.values("station_id")).order_by("village_id", "number").values_list("number", "village__name")[:named]
        first = [f"TPS {number:03d} {village}" for number, village in late]  # as Station.__str__
    # The village's polygon is not needed to name the TPS.
    incidents = Incident.objects.filter(election=election, station__in=visible.values("pk"), occurred_at__lte=as_of).select_related("station__village").defer("station__village__boundary")
    ordered = sorted(incidents, key=lambda i: (SEVERITY_ORDER.get(i.severity, 9), -i.occurred_at.timestamp()))
    return Progress(stage, as_of, due, total, reported, missing, first, ordered)


def reported_for(user: User, election: Election, stage: str, as_of: datetime) -> tuple[set[int], Counter]:
    """For a map: the TPS that reported `stage` by `as_of` (as in `coverage_for`), and the incidents
    so far per TPS, without building the TPS."""
    require(user, Perm.VIEW_REPORTS)
    visible = stations_visible_to(user, election).order_by().values("pk")
    reported = set(Report.objects.filter(election=election, stage=stage, station__in=visible, observed_at__lte=as_of).order_by().values_list("station_id", flat=True).distinct())
    incidents = Counter(Incident.objects.filter(election=election, station__in=visible, occurred_at__lte=as_of).values_list("station_id", flat=True))
    return reported, incidents

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
    stations = list(stations_visible_to(user, election).order_by("village_id", "number"))
    first = dict(
        Report.objects.filter(election=election, stage=stage, station__in=[s.pk for s in stations], observed_at__lte=as_of)
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
    incidents = Incident.objects.filter(election=election, station__in=[s.pk for s in stations], occurred_at__lte=as_of).select_related("station__village")
    coverage.incidents = sorted(incidents, key=lambda i: (SEVERITY_ORDER.get(i.severity, 9), -i.occurred_at.timestamp()))
    return coverage

"""The voting-day coverage board: which TPS have reported each stage, by kecamatan and village,
and the alerts (no opening report by 07.30 local time, other stages overdue, incidents); and the
voting day of one TPS (`station_status`).

Read by those who hold `reports.view_status` (Bawaslu's levels, and the police: Polres for the
district, a Polsek for its kecamatan and those it guards, `stations.queries.stations_watched_by`).
Nothing here carries personal data: who filed, the supervisors' NIK and the Form A narrative stay
with Bawaslu (`reports.view`)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Min, Q
from django.db.models.fields.json import KeyTransform
from django.utils import timezone
from django.utils.translation import gettext

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.elections.models import Election
from sinergi.elections.queries import board_clock
from sinergi.regions.queries import province_zones
from sinergi.stations.labels import tps_label
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_watched_by
from sinergi.supervisors.models import Incident, Question, Report

# By when (local time on voting day) each stage's report is expected.
DUE = {
    Question.Stage.PREPARATION: time(7, 30),
    Question.Stage.VOTING: time(13, 30),
    Question.Stage.COUNTING: time(21, 0),
    Question.Stage.TRANSFER: time(23, 59),
}
SEVERITY_ORDER = {"tinggi": 0, "sedang": 1, "rendah": 2}


def due_at(election: Election, stage: str, region_code: str) -> datetime:
    """When the stage's report is due at a TPS of `region_code`: DUE in that region's own time zone
    (07.30 WIT in Papua is 06.30 WITA), so a multi-province election names each TPS missing on its
    own clock. `region_code` '' (a national viewer): the election's zone."""
    return datetime.combine(election.voting_date, DUE[stage], tzinfo=election.zone_at(region_code))


def _overdue(election: Election, stage: str, as_of: datetime, area_code: str | None) -> Q | None:
    """A filter keeping the TPS (of the viewer's area) whose report of `stage` is due by `as_of` on
    their own clock (`due_at`): Q() when it is due everywhere, None when nowhere yet."""

    def passed(zone: str) -> bool:
        return datetime.combine(election.voting_date, DUE[stage], tzinfo=ZoneInfo(zone)) <= as_of

    if area_code:  # one province: one clock
        return Q() if due_at(election, stage, area_code) <= as_of else None

    zones = province_zones(election.time_zone)
    late = [province for province, zone in zones.items() if passed(zone)]
    elsewhere = passed(election.time_zone)  # a TPS of no known province keeps the election's zone
    if len(late) == len(zones) and elsewhere:
        return Q()
    if not late and not elsewhere:
        return None
    known = Q(pk__in=[])
    for province in zones:
        known |= Q(village__code__startswith=province + ".")
    found = ~known if elsewhere else Q(pk__in=[])
    for province in late:
        found |= Q(village__code__startswith=province + ".")
    return found


@dataclass
class Coverage:
    stage: str
    as_of: datetime
    due: datetime
    total: int
    reported: dict[int, datetime]  # station id -> first report's observed time
    by_kecamatan: dict[str, Counter] = field(default_factory=dict)
    by_village: dict[str, Counter] = field(default_factory=dict)
    missing: list = field(default_factory=list)  # stations without a report, once it is due
    incidents: list[Incident] = field(default_factory=list)
    stations: list = field(default_factory=list)
    # The stage's reports that gave an answer needing attention (`concerns_for`).
    concerns: list["Concern"] = field(default_factory=list)


CONCERNS_LISTED = 200


def default_as_of(election: Election) -> datetime:
    """Now; for an election long past (the demo), the moment of its last report."""
    return board_clock(election, lambda: Report.objects.filter(election=election).order_by("-observed_at").values_list("observed_at", flat=True).first())


def coverage_for(user: User, election: Election, stage: str, as_of: datetime | None = None, *, concerns: bool = True) -> Coverage:
    """The stage's coverage of the TPS the user follows; `concerns=False` leaves out the answers
    that need attention (one query; the map and the export do not show them)."""
    require(user, Perm.VIEW_VOTING_DAY)
    tz = election.zone_at(user.area_code or "")
    as_of = timezone.localtime(as_of, tz) if as_of else default_as_of(election)
    due = due_at(election, stage, user.area_code or "")
    visible = stations_watched_by(user, election)
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
    by_kecamatan: dict[str, Counter] = defaultdict(Counter)
    by_village: dict[str, Counter] = defaultdict(Counter)
    for s in stations:
        state = "lapor" if s.pk in first else "belum"
        by_kecamatan[s.village.parent_id][state] += 1
        by_village[s.village_id][state] += 1
        if s.pk not in first and as_of >= due_at(election, stage, s.village_id):
            coverage.missing.append(s)
    coverage.by_kecamatan, coverage.by_village = dict(sorted(by_kecamatan.items())), dict(sorted(by_village.items()))
    incidents = (
        Incident.objects.filter(election=election, station__in=visible.order_by().values("pk"), occurred_at__lte=as_of)
        .select_related("station__village")
        .defer("station__village__boundary")
    )
    coverage.incidents = sorted(incidents, key=lambda i: (SEVERITY_ORDER.get(i.severity, 9), -i.occurred_at.timestamp()))
    if concerns:
        coverage.concerns = concerns_for(election, [stage], visible, as_of)
    return coverage


@dataclass(frozen=True)
class Concern:
    """A report that gave an answer needing attention (`Question.concern`) to a question the police read."""

    station_id: int
    station: str  # "TPS 017 Ped", as Station.__str__
    stage: str
    question: str
    answer: str
    observed_at: datetime


def concerns_for(election: Election, stages, visible, as_of: datetime, *, limit: int = CONCERNS_LISTED) -> list[Concern]:
    """The reports of `stages` at the `visible` TPS (a Station queryset) observed by `as_of` that
    gave an answer needing attention, newest first, at most `limit` reports: one query over the
    answers' JSON keys, whatever the number of TPS; none when no question has a concern."""
    from sinergi.supervisors.checklists import checklists

    questions = checklists(election.pk)
    asked = [q for stage in stages for q in questions.get(stage, {}).values() if q.security and q.concern is not None]
    if not asked:
        return []
    keys = {f"perhatian_{n}": KeyTransform(q.code, "answers") for n, q in enumerate(asked)}
    # Per stage, the stage first: a report's answers are read only for its own stage's questions.
    by_stage: dict[str, Q] = {}
    for n, q in enumerate(asked):
        by_stage[q.stage] = by_stage.get(q.stage, Q()) | Q(**{f"perhatian_{n}": q.concern})
    match = Q()
    for stage, answered in by_stage.items():
        match |= Q(stage=stage) & answered
    rows = (
        Report.objects.filter(election=election, station__in=visible.order_by().values("pk"), observed_at__lte=as_of)
        .alias(**keys)
        .filter(match)
        .order_by("-observed_at", "-pk")
        .values_list("station_id", "station__number", "station__village__name", "stage", "observed_at", "answers")[:limit]
    )
    asked.sort(key=lambda q: (q.order, q.pk))
    return [
        Concern(station_id, tps_label(number, village), stage, q.text, shown_answer(q.kind, q.concern), observed_at)
        for station_id, number, village, stage, observed_at, answers in rows
        for q in asked
        if q.stage == stage and answers.get(q.code) is q.concern
    ]


def stage_due(election: Election, as_of: datetime, area: str | None = None) -> str | None:
    """The last stage whose report was due by `as_of` (DUE, local time on voting day) where the
    viewer is (`area`: their province's clock, `Election.zone_for`; the election's own for a
    national viewer); None before the first one (07.30 on voting day)."""
    tz = election.zone_for(area)
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
    concerns: list["Concern"] = field(default_factory=list)  # of every stage so far, the latest few


# Answers needing attention that the situation room names (each an alert).
SITUATION_CONCERNS = 20


def progress_for(user: User, election: Election, stage: str, as_of: datetime, *, named: int = 10) -> Progress:
    require(user, Perm.VIEW_VOTING_DAY)
    as_of = timezone.localtime(as_of, election.zone_at(user.area_code or ""))
    due = due_at(election, stage, user.area_code or "")
    visible = stations_watched_by(user, election).order_by()
    filed = Report.objects.filter(election=election, stage=stage, station__in=visible.values("pk"), observed_at__lte=as_of).order_by()
    total = visible.count()
    reported = filed.values("station_id").distinct().count()
    missing, first = 0, []
    overdue = _overdue(election, stage, as_of, user.area_code)
    if overdue is not None and reported < total:
        late = visible.filter(overdue).exclude(pk__in=filed.values("station_id"))
        missing = total - reported if overdue == Q() else late.count()
        first = [tps_label(number, village) for number, village in late.order_by("village_id", "number").values_list("number", "village__name")[:named]]
    # The village's polygon is not needed to name the TPS.
    incidents = (
        Incident.objects.filter(election=election, station__in=visible.values("pk"), occurred_at__lte=as_of)
        .select_related("station__village")
        .defer("station__village__boundary")
    )
    ordered = sorted(incidents, key=lambda i: (SEVERITY_ORDER.get(i.severity, 9), -i.occurred_at.timestamp()))
    concerns = concerns_for(election, Question.Stage.values, visible, as_of, limit=SITUATION_CONCERNS)
    return Progress(stage, as_of, due, total, reported, missing, first, ordered, concerns)


def reported_for(user: User, election: Election, stage: str, as_of: datetime) -> tuple[set[int], Counter]:
    """For a map: the TPS that reported `stage` by `as_of` (as in `coverage_for`), and the incidents
    so far per TPS, without building the TPS."""
    require(user, Perm.VIEW_VOTING_DAY)
    visible = stations_watched_by(user, election).order_by().values("pk")
    reported = set(
        Report.objects.filter(election=election, stage=stage, station__in=visible, observed_at__lte=as_of)
        .order_by()
        .values_list("station_id", flat=True)
        .distinct()
    )
    incidents = Counter(Incident.objects.filter(election=election, station__in=visible, occurred_at__lte=as_of).values_list("station_id", flat=True))
    return reported, incidents


@dataclass
class StageStatus:
    """One Form A stage of one TPS: reported or not (by when it was due), and the answers shown."""

    stage: str
    label: str
    due: datetime
    first_at: datetime | None  # the first report's observed time; None: not reported
    reports: list[int]  # ids of its reports, newest first: the Form A PDFs, for `reports.view` only
    count: int
    answers: list[tuple[str, str, bool, bool]]  # (question, answer, security-relevant, needs attention) of the latest report


@dataclass
class StationStatus:
    station: Station
    stages: list[StageStatus]
    incidents: list[Incident]  # oldest first
    full: bool  # the viewer reads reports in full (Bawaslu): every answer and the Form A PDFs


def shown_answer(kind: str, value) -> str:
    """An answer as a page shows it: Ya/Tidak, a number, "—" when not answered."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return gettext("Ya") if value else gettext("Tidak")
    if kind == Question.Kind.PHOTO:
        return gettext("foto")
    return str(value)


def station_status(user: User, election: Election, pk: int, as_of: datetime | None = None) -> StationStatus:
    """The voting day of the TPS `pk` (404 outside the viewer's `stations_watched_by`): per stage,
    reported or not and the latest report's answers (the security-relevant ones only, for a viewer
    without `reports.view`); its incidents. A fixed number of queries."""
    from django.shortcuts import get_object_or_404

    from sinergi.supervisors.checklists import checklists

    require(user, Perm.VIEW_VOTING_DAY)
    full = can(user, Perm.VIEW_REPORTS)
    station = get_object_or_404(stations_watched_by(user, election).defer("village__boundary", "village__parent__boundary"), pk=pk)
    tz = ZoneInfo(election.time_zone)
    as_of = timezone.localtime(as_of, tz) if as_of else default_as_of(election)
    reports = list(
        Report.objects.filter(election=election, station=station, observed_at__lte=as_of)
        .order_by("-observed_at", "-pk")
        .only("pk", "stage", "observed_at", "answers")
    )
    questions = checklists(election.pk)
    stages = []
    for stage, label in Question.Stage.choices:
        mine = [r for r in reports if r.stage == stage]
        latest = mine[0] if mine else None
        asked = sorted(questions.get(stage, {}).values(), key=lambda q: (q.order, q.pk))
        answers = [
            (
                q.text,
                shown_answer(q.kind, latest.answers.get(q.code)),
                q.security,
                q.security and q.concern is not None and latest.answers.get(q.code) is q.concern,
            )
            for q in asked
            if latest and (full or q.security)
        ]
        due = due_at(election, stage, station.village_id)
        stages.append(StageStatus(stage, label, due, mine[-1].observed_at if mine else None, [r.pk for r in mine] if full else [], len(mine), answers))
    incidents = list(Incident.objects.filter(election=election, station=station, occurred_at__lte=as_of).order_by("occurred_at", "pk"))
    return StationStatus(station, stages, incidents, full)

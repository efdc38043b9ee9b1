"""Roll-ups: an area's key numbers per region one level down (per province for the whole country,
per district for a province, per kecamatan for a district), with the area's total.

**Counted in SQL, grouped by the code's prefix** (`GROUP BY substr(village_id, 1, 5)` for
districts): never a loop over the TPS, so a national deployment's 820,161 TPS cost the database a
scan and Python a row per district. Each section is a fixed number of queries whatever the number of
regions (`tests/situation/test_rollup.py` checks it). The loops here run over aggregate rows (one
per region and state), the Polsek (shortage is per Polsek) and the open cases (their legal
deadlines are computed by the cases app's engine), never over TPS.

Each section is built only for a viewer whose agency may see that part (the permissions of the
district sections: `guard.view`, `logistics.view`, `reports.view_status`, `cases.view`), over the
viewer's area (`user.area_code`, narrowed by the drill-down).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.cases import workflow
from sinergi.cases.queries import cases_for
from sinergi.cases.services import all_days_off, deadline_end, running_deadline
from sinergi.elections.models import Election
from sinergi.guard.rollup import guard_by_region
from sinergi.logistics.models import Consignment, Discrepancy
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import villages_within, within
from sinergi.risk.models import ChecklistAnswer
from sinergi.situation.drilldown import child_level
from sinergi.stations.models import KecamatanTally
from sinergi.supervisors.coverage import stage_due
from sinergi.supervisors.models import Incident, Question, Report

WIDTH = {level: codes.width_of(level) for level in (codes.PROVINCE, codes.DISTRICT, codes.KECAMATAN)}
DUE_SOON_SECONDS = 86400  # a case deadline ending within a day, as the situation room's alerts


@dataclass
class Row:
    code: str  # "" for the total
    name: str
    stations: int = 0
    voters: int = 0
    vulnerable: int = 0  # TPS with an indicator present
    reported: int = 0  # TPS with a Form A of the stage
    incidents: int = 0
    serious: int = 0  # incidents of high severity
    posts: int = 0  # guard posts fixed (not retired)
    police: int = 0
    linmas: int = 0
    personnel: int = 0  # available + reinforcements (BKO) of the Polsek
    shortage: int = 0  # summed per Polsek: need beyond its personnel
    polres: str = ""
    logistics: Counter = field(default_factory=Counter)  # lengkap / sebagian / belum
    discrepancies: int = 0  # unresolved
    cases_open: int = 0
    cases_overdue: int = 0
    cases_due_soon: int = 0

    @property
    def late(self) -> int:
        return max(0, self.stations - self.reported)

    @property
    def coverage(self) -> int:
        """Per cent of the TPS that reported the stage (0 without TPS)."""
        return round(100 * self.reported / self.stations) if self.stations else 0


@dataclass
class Rollup:
    area_code: str | None
    level: int  # of the rows: codes.PROVINCE, DISTRICT or KECAMATAN
    as_of: datetime
    rows: list[Row]
    total: Row
    stage: str = ""
    stage_label: str = ""
    stage_is_due: bool = False
    # Which sections the viewer sees (False: not built, not shown).
    reports: bool = False
    guard: bool = False
    logistics: bool = False
    cases: bool = False


def _prefix(column: str, level: int) -> Substr:
    return Substr(column, 1, WIDTH[level])


def _tps_per_region(rows_of_tps, level: int) -> list[tuple[str, int]]:
    """(region, distinct TPS) of a queryset of rows about TPS (answers, reports), grouped by the
    first characters of their TPS's village code."""
    grouped = rows_of_tps.order_by().annotate(g=_prefix("station__village", level)).values("g")
    return list(grouped.annotate(n=Count("station_id", distinct=True)).values_list("g", "n"))


def rollup_for(user: User, election: Election, now: datetime) -> Rollup | None:
    """The roll-up of the viewer's area one level down; None for a kecamatan or narrower area."""
    require(user, Perm.VIEW_SITUATION)
    area = user.area_code
    level = child_level(area)
    if level is None:
        return None
    regions = Region.objects.filter(within("code", area), level=level).order_by("code").values_list("code", "name")
    rows = {code: Row(code, name) for code, name in regions}
    rollup = Rollup(area, level, now, list(rows.values()), Row("", ""))
    _stations(rows, election, area, level)
    if can(user, Perm.VIEW_VOTING_DAY):
        stage = stage_due(election, now, area)  # on the viewer's clock (the election's for the whole country)
        rollup.reports, rollup.stage, rollup.stage_is_due = True, stage or Question.Stage.PREPARATION, stage is not None
        rollup.stage_label = str(Question.Stage(rollup.stage).label)
        _reports(rows, election, area, level, rollup.stage, now)
    if can(user, Perm.VIEW_GUARD_PLAN):
        rollup.guard = True
        _guard(rows, election, area, level)
    if can(user, Perm.VIEW_LOGISTICS):
        rollup.logistics = True
        _logistics(rows, election, area, level)
    if can(user, Perm.VIEW_CASES) or can(user, Perm.GAKKUMDU):
        rollup.cases = _cases(rows, user, election, level, now)
    rollup.total = _total(rollup.rows)
    return rollup


def _stations(rows: dict[str, Row], election: Election, area: str | None, level: int) -> None:
    # TPS and voters from the kecamatan tallies kept by triggers (stations 0002_tallies): 7,277 rows
    # for the whole country instead of its 820,161 TPS.
    tallies = KecamatanTally.objects.filter(within("kecamatan__code", area), election=election).order_by()
    for code, n, voters in tallies.annotate(g=_prefix("kecamatan", level)).values("g").annotate(n=Sum("stations"), v=Sum("voters")).values_list("g", "n", "v"):
        if code in rows:
            rows[code].stations, rows[code].voters = n or 0, voters or 0
    present = ChecklistAnswer.objects.filter(villages_within("station__village__code", area), present=True, station__election=election)
    for code, n in _tps_per_region(present, level):
        if code in rows:
            rows[code].vulnerable = n


def _reports(rows: dict[str, Row], election: Election, area: str | None, level: int, stage: str, now: datetime) -> None:
    """TPS that reported `stage` by `now`, and incidents so far (high severity apart), per region."""
    reports = Report.objects.filter(villages_within("station__village__code", area), election=election, stage=stage, observed_at__lte=now)
    for code, n in _tps_per_region(reports, level):
        if code in rows:
            rows[code].reported = n
    incidents = (
        Incident.objects.filter(villages_within("station__village__code", area), election=election, occurred_at__lte=now)
        .order_by()
        .annotate(g=_prefix("station__village", level))
        .values("g")
        .annotate(n=Count("id"), high=Count("id", filter=Q(severity=Incident.Severity.HIGH)))
        .values_list("g", "n", "high")
    )
    for code, n, high in incidents:
        if code in rows:
            rows[code].incidents, rows[code].serious = n, high


def _guard(rows: dict[str, Row], election: Election, area: str | None, level: int) -> None:
    for code, totals in guard_by_region(election, area, WIDTH[level]).items():
        row = rows.get(code)
        if row is not None:
            row.posts, row.police, row.linmas, row.personnel, row.shortage, row.polres = (
                totals.posts, totals.police, totals.linmas, totals.personnel, totals.shortage, totals.polres,
            )  # fmt: skip


def _logistics(rows: dict[str, Row], election: Election, area: str | None, level: int) -> None:
    """The logistics board's status per region, counted from the outbound consignments' states as
    the board classifies one TPS (`logistics.board.board_for`): delivered without an unresolved
    discrepancy is complete; dispatched, held, or delivered with one is partial; planned or without
    a consignment is missing."""
    out = Consignment.objects.filter(villages_within("station__village__code", area), election=election, direction=Consignment.Direction.OUT).order_by()
    grouped = out.annotate(g=_prefix("station__village", level)).values("g", "state").annotate(n=Count("id")).values_list("g", "state", "n")
    states: dict[str, Counter] = defaultdict(Counter)
    for code, state, n in grouped:
        states[code][state] += n
    open_issues = Discrepancy.objects.filter(
        villages_within("handover__consignment__station__village__code", area),
        handover__consignment__election=election,
        handover__consignment__direction=Consignment.Direction.OUT,
        resolved_at__isnull=True,
    ).order_by()
    with_issues = dict(
        open_issues.filter(handover__consignment__state=Consignment.State.DELIVERED)
        .annotate(g=_prefix("handover__consignment__station__village", level))
        .values("g")
        .annotate(n=Count("handover__consignment_id", distinct=True))
        .values_list("g", "n")
    )
    issues = dict(open_issues.annotate(g=_prefix("handover__consignment__station__village", level)).values("g").annotate(n=Count("id")).values_list("g", "n"))
    for code, row in rows.items():
        counted = states.get(code, Counter())
        delivered = counted[Consignment.State.DELIVERED]
        complete = delivered - with_issues.get(code, 0)
        partial = sum(n for state, n in counted.items() if state != Consignment.State.PLANNED) - complete
        row.logistics = Counter({"lengkap": complete, "sebagian": partial, "belum": max(0, row.stations - complete - partial)})
        row.discrepancies = issues.get(code, 0)


def _cases(rows: dict[str, Row], user: User, election: Election, level: int, now: datetime) -> bool:
    """Open cases per region (SQL), and how many are past their running legal deadline or end within
    a day: the deadline engine over the open cases (a few per district), as the room's alerts."""
    try:
        cases = cases_for(user, election).exclude(status__in=workflow.FINAL)
    except PermissionDenied:
        return False
    width = WIDTH[level]
    for code, n in cases.order_by().annotate(g=_prefix("region", level)).values("g").annotate(n=Count("id")).values_list("g", "n"):
        if code in rows:
            rows[code].cases_open = n
    days_off = all_days_off()
    for case in cases.prefetch_related("steps").order_by():
        deadline = running_deadline(case, list(case.steps.all()), days_off)
        row = rows.get(case.region_id[:width])
        if deadline is None or row is None:
            continue
        end = deadline_end(case, deadline)
        if end <= now:
            row.cases_overdue += 1
        elif (end - now).total_seconds() <= DUE_SOON_SECONDS:
            row.cases_due_soon += 1
    return True


SUMMED = ("stations", "voters", "vulnerable", "reported", "incidents", "serious", "posts", "police", "linmas", "personnel", "shortage", "discrepancies")
SUMMED += ("cases_open", "cases_overdue", "cases_due_soon")


def _total(rows: list[Row]) -> Row:
    total = Row("", "")
    for row in rows:
        for name in SUMMED:
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.logistics.update(row.logistics)
    return total


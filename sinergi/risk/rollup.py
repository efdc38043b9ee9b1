"""The vulnerability release and the police classes per region one level down, for a viewer wider
than a district (per province for the whole country, per district for a province): what the
release page and the classes page show such a viewer, each row opening the region (`?wilayah=`,
situation/drilldown.py) down to a district's own page.

**Counted in SQL, grouped by the code's prefix**, never a loop over the TPS: the TPS per region
come from the kecamatan tallies kept by triggers (`stations.KecamatanTally`, 7,277 rows for the
whole country); the indicators, the TPS with an indicator of each variable and with several
variables from **one pass** over the answers present grouped per TPS into bit masks of its
indicators and variables, then summed per region; the classes from one `GROUP BY` region and
class. A fixed number of
queries whatever the number of regions (tests/risk/test_rollup.py).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BigIntegerField, Case, Count, F, Sum, Value, When
from django.db.models.functions import Substr

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.elections.models import Election
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import villages_within, within
from sinergi.risk import release
from sinergi.risk.models import ChecklistAnswer, Indicator, StationClass, Variable
from sinergi.risk.queries import rules_for
from sinergi.stations.models import KecamatanTally


def child_level(area: str | None) -> int | None:
    """Provinces for the whole country, districts for a province; None for a district or narrower
    (whose pages list kecamatan and TPS)."""
    if area is None:
        return codes.PROVINCE
    return codes.DISTRICT if codes.level_of(area) == codes.PROVINCE else None


def is_wide(user: User) -> bool:
    return child_level(user.area_code) is not None


@dataclass
class RegionRow:
    code: str
    name: str
    stations: int = 0
    vulnerable: int = 0  # TPS with an indicator present
    several: int = 0  # TPS with indicators of two variables or more
    by_level: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # police class -> TPS

    @property
    def classified(self) -> int:
        return sum(self.by_level.values())

    @property
    def unconfirmed(self) -> int:
        return max(0, self.stations - self.classified)


def _regions(area: str | None, level: int) -> dict[str, RegionRow]:
    found = Region.objects.filter(within("code", area), level=level).order_by("code").values_list("code", "name")
    return {code: RegionRow(code, name) for code, name in found}


def _stations(rows: dict[str, RegionRow], election: Election, area: str | None, width: int) -> None:
    tallies = KecamatanTally.objects.filter(within("kecamatan__code", area), election=election).order_by()
    for code, n in tallies.annotate(g=Substr("kecamatan", 1, width)).values("g").annotate(n=Sum("stations")).values_list("g", "n"):
        if code in rows:
            rows[code].stations = n or 0


def _total(rows: list[RegionRow]) -> RegionRow:
    total = RegionRow("", "")
    for row in rows:
        total.stations += row.stations
        total.vulnerable += row.vulnerable
        total.several += row.several
        for level, n in row.by_level.items():
            total.by_level[level] += n
    return total


@dataclass
class ReleaseRollup:
    level: int  # of the rows: codes.PROVINCE or DISTRICT
    rows: list[RegionRow]
    total: RegionRow
    result: release.Release  # ranked indicators, each with `by_region`; per variable over the area

    def matrix(self) -> list[tuple[release.IndicatorCount, list[int]]]:
        """(indicator, its TPS per row in row order), the indicators present anywhere, ranked."""
        return [(entry, [entry.by_region.get(row.code, 0) for row in self.rows]) for entry in self.result.indicators if entry.total]


def _rows_of(user: User, election: Election) -> tuple[str | None, int, int, dict[str, RegionRow]] | None:
    """(area, level, width of its codes, the rows with their TPS) of a viewer wider than a
    district; None for a district or narrower viewer."""
    area = user.area_code
    level = child_level(area)
    if level is None:
        return None
    width = codes.width_of(level)
    rows = _regions(area, level)
    _stations(rows, election, area, width)
    return area, level, width, rows


def release_by_region(user: User, election: Election) -> ReleaseRollup | None:
    """Bawaslu's release over the viewer's area per region one level down; None for a district or
    narrower viewer (`risk.queries.release_for` is theirs)."""
    require(user, Perm.VIEW_RISK)
    scoped = _rows_of(user, election)
    if scoped is None:
        return None
    area, level, width, rows = scoped
    present = ChecklistAnswer.objects.filter(villages_within("station__village__code", area), present=True, station__election=election).order_by()
    listed_indicators = list(Indicator.objects.filter(election=election).values_list("pk", "code", "variable__number", "text"))
    per_region, with_variable = _per_station(rows, election, present, width, [(pk, code) for pk, code, _n, _t in listed_indicators])
    indicators = [release.IndicatorInfo(code, number, text) for _pk, code, number, text in listed_indicators]
    rules = rules_for(election)
    listed = list(rows.values())
    total = _total(listed)
    result = release.from_region_counts(indicators, total.stations, per_region, with_variable, release.GroupRule(rules.top_group_size, rules.middle_group_size))
    return ReleaseRollup(level, listed, total, result)


MASK_BITS = 62  # indicators carried as bits of one BIGINT per TPS; more are counted by a GROUP BY


def _per_station(rows: dict[str, RegionRow], election: Election, present, width: int, indicators: list[tuple[int, str]]) -> tuple[list[tuple[str, str, int]], dict[int, int]]:
    """One pass over the answers present, grouped per TPS into the set of its variables and the
    set of its indicators (bit masks: the sum of the distinct powers of two; an answer is unique
    per TPS and indicator), then per region: the TPS with any indicator, with two variables or
    more, with each indicator; and over the area the TPS with an indicator of each variable.
    Returns the (region, indicator code, TPS) rows and the TPS per variable number."""
    numbers = sorted(set(Variable.objects.filter(election=election).values_list("number", flat=True)))
    bits = indicators if len(indicators) <= MASK_BITS else []
    imask = Sum(Case(*(When(indicator_id=pk, then=Value(1 << k)) for k, (pk, _code) in enumerate(bits)), default=Value(0), output_field=BigIntegerField()))
    per_station = (
        present.values("station_id")
        .annotate(g=Substr("station__village", 1, width), mask=Sum(Value(1).bitleftshift(F("indicator__variable__number")), distinct=True), imask=imask)
        .values("g", "mask", "imask")
    )
    sql, params = per_station.query.sql_with_params()
    columns = [f"SUM(CASE WHEN (t.mask & {1 << n}) <> 0 THEN 1 ELSE 0 END)" for n in numbers]
    columns += [f"SUM(CASE WHEN (t.imask & {1 << k}) <> 0 THEN 1 ELSE 0 END)" for k in range(len(bits))]
    query = f"SELECT t.g, COUNT(*), SUM(CASE WHEN (t.mask & (t.mask - 1)) <> 0 THEN 1 ELSE 0 END){''.join(', ' + c for c in columns)} FROM ({sql}) t GROUP BY t.g"  # noqa: S608  (integers only)
    with_variable: dict[int, int] = defaultdict(int)
    per_region: list[tuple[str, str, int]] = []
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for code, vulnerable, several, *counts in cursor.fetchall():
            row = rows.get(code)
            if row is None:
                continue
            row.vulnerable, row.several = vulnerable, several or 0
            for number, n in zip(numbers, counts[: len(numbers)], strict=True):
                with_variable[number] += n or 0
            per_region += [(code, indicator, n or 0) for (_pk, indicator), n in zip(bits, counts[len(numbers) :], strict=True)]
    if not bits:  # too many indicators for one mask: a GROUP BY region and indicator
        grouped = present.annotate(g=Substr("station__village", 1, width)).values("g", "indicator__code").annotate(n=Count("id")).values_list("g", "indicator__code", "n")
        per_region = [(code, indicator, n) for code, indicator, n in grouped if code in rows]
    return per_region, with_variable


@dataclass
class ClassRollup:
    level: int
    rows: list[RegionRow]
    total: RegionRow
    levels: list[tuple[str, str]]  # (class, label) in the class order

    def table(self) -> list[tuple[RegionRow, list[int]]]:
        """(row, its TPS per class in the class order) for each row."""
        return [(row, [row.by_level.get(value, 0) for value, _label in self.levels]) for row in self.rows]

    def total_counts(self) -> list[int]:
        return [self.total.by_level.get(value, 0) for value, _label in self.levels]


def classes_by_region(user: User, election: Election) -> ClassRollup | None:
    """The police classes set per region one level down (TPS per class, and those not yet set);
    None for a district or narrower viewer (the classes page lists their TPS)."""
    require(user, Perm.VIEW_POLICE_CLASS)
    scoped = _rows_of(user, election)
    if scoped is None:
        return None
    area, level, width, rows = scoped
    classes = StationClass.objects.filter(villages_within("station__village__code", area), station__election=election).order_by()
    for code, klass, n in classes.annotate(g=Substr("station__village", 1, width)).values("g", "level").annotate(n=Count("id")).values_list("g", "level", "n"):
        if code in rows:
            rows[code].by_level[klass] = n
    listed = list(rows.values())
    return ClassRollup(level, listed, _total(listed), list(StationClass.Level.choices))

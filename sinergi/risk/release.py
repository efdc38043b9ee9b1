"""Bawaslu's release of vulnerable TPS: counts, ranking and frequency groups. No Django import.

Bawaslu does not grade a TPS: it counts, per indicator, the TPS where the indicator is present,
for the district, each kecamatan and each village; ranks the indicators; sorts them into three
frequency groups; counts per variable; and lists the TPS where several variables are present.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sinergi.regions.codes import kecamatan_of

GROUPS = ("paling banyak terjadi", "banyak terjadi", "tidak banyak terjadi namun perlu diantisipasi")


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    variable: int
    text: str


@dataclass(frozen=True)
class StationInfo:
    id: int
    village_code: str
    kecamatan_code: str


@dataclass(frozen=True)
class GroupRule:
    """The first `top` indicators by count (ties kept together) are the first group, the next
    `middle` the second, every other indicator present at any TPS the third."""

    top: int = 5
    middle: int = 5


@dataclass
class IndicatorCount:
    code: str
    variable: int
    text: str
    total: int
    by_kecamatan: dict[str, int] = field(default_factory=dict)
    by_village: dict[str, int] = field(default_factory=dict)
    by_region: dict[str, int] = field(default_factory=dict)  # per province or district (`from_region_counts`)
    rank: int = 0
    group: str = ""


@dataclass
class Release:
    stations: int
    indicators: list[IndicatorCount]
    by_variable: dict[int, int]
    several_variables: list[tuple[int, list[int]]]  # (station id, its variables), ≥ 2 variables

    def count_of(self, code: str) -> int:
        return next(i.total for i in self.indicators if i.code == code)


def compute(
    indicators: list[IndicatorInfo],
    stations: list[StationInfo],
    present: Iterable[tuple[int, str]],
    rule: GroupRule = GroupRule(),
) -> Release:
    """The release for `stations`, given the (station id, indicator code) pairs present.

    Pairs for stations or codes not listed are ignored. Indicators come back ranked by count,
    most frequent first (ties share a rank, in catalogue order); an indicator present nowhere has
    no group.
    """
    station_by_id = {s.id: s for s in stations}
    known = {i.code: i for i in indicators}
    pairs = {(sid, code) for sid, code in present if sid in station_by_id and code in known}
    counts = {i.code: IndicatorCount(i.code, i.variable, i.text, 0) for i in indicators}
    kecamatan_counts: dict[str, Counter] = defaultdict(Counter)
    village_counts: dict[str, Counter] = defaultdict(Counter)
    variables_of: dict[int, set[int]] = defaultdict(set)
    for sid, code in pairs:
        station = station_by_id[sid]
        counts[code].total += 1
        kecamatan_counts[code][station.kecamatan_code] += 1
        village_counts[code][station.village_code] += 1
        variables_of[sid].add(known[code].variable)
    for code, entry in counts.items():
        entry.by_kecamatan = dict(sorted(kecamatan_counts[code].items()))
        entry.by_village = dict(sorted(village_counts[code].items()))
    variables = sorted({i.variable for i in indicators})
    by_variable = {v: sum(1 for vs in variables_of.values() if v in vs) for v in variables}
    several = sorted((sid, sorted(vs)) for sid, vs in variables_of.items() if len(vs) >= 2)
    return _ranked(indicators, counts, len(stations), by_variable, several, rule)


def from_counts(
    indicators: list[IndicatorInfo],
    stations: int,
    village_counts: Iterable[tuple[str, str, int]],
    with_variable: dict[int, int],
    several_variables: list[tuple[int, list[int]]],
    rule: GroupRule = GroupRule(),
) -> Release:
    """The release of `compute` from counts a database made: (village code, indicator code, TPS
    where it is present) rows, the TPS with any indicator of each variable, and the TPS with two
    variables or more. Kecamatan and area totals are the sums of their villages'."""
    counts = {i.code: IndicatorCount(i.code, i.variable, i.text, 0) for i in indicators}
    kecamatan_counts: dict[str, Counter] = defaultdict(Counter)
    village_counts_of: dict[str, dict[str, int]] = defaultdict(dict)
    for village, code, count in village_counts:
        if code not in counts or not count:
            continue
        counts[code].total += count
        kecamatan_counts[code][kecamatan_of(village)] += count
        village_counts_of[code][village] = village_counts_of[code].get(village, 0) + count
    for code, entry in counts.items():
        entry.by_kecamatan = dict(sorted(kecamatan_counts[code].items()))
        entry.by_village = dict(sorted(village_counts_of[code].items()))
    by_variable = {v: with_variable.get(v, 0) for v in sorted({i.variable for i in indicators})}
    return _ranked(indicators, counts, stations, by_variable, sorted(several_variables), rule)


def from_region_counts(
    indicators: list[IndicatorInfo],
    stations: int,
    region_counts: Iterable[tuple[str, str, int]],
    with_variable: dict[int, int],
    rule: GroupRule = GroupRule(),
) -> Release:
    """The release over a wide area from (region code, indicator code, TPS where it is present)
    rows, a region being a province or a district: each indicator's total and `by_region`, ranked
    and grouped as `compute` does; no per-kecamatan or per-village counts and no list of TPS with
    several variables (those are a district's page)."""
    counts = {i.code: IndicatorCount(i.code, i.variable, i.text, 0) for i in indicators}
    for region, code, count in region_counts:
        if code not in counts or not count:
            continue
        counts[code].total += count
        counts[code].by_region[region] = counts[code].by_region.get(region, 0) + count
    by_variable = {v: with_variable.get(v, 0) for v in sorted({i.variable for i in indicators})}
    return _ranked(indicators, counts, stations, by_variable, [], rule)


def _ranked(indicators, counts: dict[str, IndicatorCount], stations: int, by_variable, several, rule: GroupRule) -> Release:
    """Ranks and groups the counted indicators (ties share a rank, in catalogue order)."""
    order = {i.code: n for n, i in enumerate(indicators)}
    ranked = sorted(counts.values(), key=lambda c: (-c.total, order[c.code]))
    previous_total, rank = None, 0
    for position, entry in enumerate(ranked, start=1):
        if entry.total != previous_total:
            rank, previous_total = position, entry.total
        entry.rank = rank
    for entry in ranked:
        if entry.total == 0:
            continue
        if entry.rank <= rule.top:
            entry.group = GROUPS[0]
        elif entry.rank <= rule.top + rule.middle:
            entry.group = GROUPS[1]
        else:
            entry.group = GROUPS[2]
    return Release(stations=stations, indicators=ranked, by_variable=by_variable, several_variables=several)


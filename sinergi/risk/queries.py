"""Reads of the vulnerability mapping, scoped to the user's area."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, groupby

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.urls import reverse

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.core.alerts import Alert
from sinergi.elections.models import Election, Stage
from sinergi.regions import codes
from sinergi.regions.queries import villages_within
from sinergi.risk import classify, release
from sinergi.risk.models import ChecklistAnswer, Indicator, IntelNote, RiskRules, StationClass
from sinergi.stations.labels import tps_label
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to

COLLECTION_STAGE = "pemetaan-tps-rawan"


def collection_stage(election: Election) -> Stage | None:
    return election.stages.filter(code=COLLECTION_STAGE).first()


def rules_for(election: Election) -> RiskRules:
    return RiskRules.objects.filter(election=election).first() or RiskRules(election=election)


def class_rule_for(election: Election) -> classify.ClassRule:
    rules = rules_for(election)
    return classify.ClassRule(frozenset(rules.severe_codes), frozenset(rules.special_codes), rules.rawan_min_variables, rules.sangat_rawan_min_variables)


def present_codes(stations: QuerySet[Station]) -> dict[int, set[str]]:
    """The indicator codes present at each of `stations` (those with none are absent from the
    map). The TPS are selected in SQL (a subquery), so a national area costs one scan, not a
    list of 820,161 ids."""
    found: dict[int, set[str]] = defaultdict(set)
    answers = ChecklistAnswer.objects.filter(present=True, station__in=stations.order_by().values("pk")).order_by()
    for station_id, code in answers.values_list("station_id", "indicator__code").iterator(chunk_size=10000):
        found[station_id].add(code)
    return found


def _suggest(election: Election, stations: list[tuple[int, bool]], present: dict[int, set[str]]) -> dict[int, classify.Suggestion]:
    rule = class_rule_for(election)
    variable_of = dict(Indicator.objects.filter(election=election).values_list("code", "variable__number"))
    return {sid: classify.suggest(present.get(sid, set()), variable_of, special_location=special, rule=rule) for sid, special in stations}


def suggestions_for_stations(election: Election, stations: list[Station]) -> dict[int, classify.Suggestion]:
    """The suggested class of a few TPS (one page, one Polsek), with its reasons."""
    present = present_codes(Station.objects.filter(pk__in=[s.pk for s in stations]))
    return _suggest(election, [(s.pk, s.is_special_location) for s in stations], present)


def checklist_of(user: User, station: Station) -> list[dict]:
    """Every indicator of the election with this TPS's answer (absent when never filled)."""
    require(user, Perm.VIEW_RISK)
    answers = {a.indicator_id: a for a in ChecklistAnswer.objects.filter(station=station).select_related("filled_by")}
    rows = []
    for indicator in Indicator.objects.filter(election=station.election).select_related("variable"):
        answer = answers.get(indicator.pk)
        rows.append({"indicator": indicator, "present": bool(answer and answer.present), "note": answer.note if answer else "", "answer": answer})
    return rows


def release_for(user: User, election: Election, within_area: str = "") -> release.Release:
    """Bawaslu's release over the TPS the user may see; `within_area` narrows it to a region inside
    the user's area (one district of a province's or a deployment's). Counted by the database
    (per village and indicator, per variable, the TPS with several variables): no row per TPS
    reaches Python, at any size."""
    require(user, Perm.VIEW_RISK)
    visible = stations_visible_to(user, election)
    if within_area:
        visible = visible.filter(villages_within("village__code", within_area))
    indicators = [
        release.IndicatorInfo(code, number, text)
        for code, number, text in Indicator.objects.filter(election=election).values_list("code", "variable__number", "text")
    ]
    present = ChecklistAnswer.objects.filter(present=True, indicator__election=election, station__in=visible.order_by().values("pk")).order_by()
    per_village = present.values_list("station__village_id", "indicator__code").annotate(n=Count("id"))
    with_variable, several = _variables(present)
    rules = rules_for(election)
    group_rule = release.GroupRule(rules.top_group_size, rules.middle_group_size)
    return release.from_counts(indicators, visible.order_by().count(), per_village.iterator(chunk_size=10000), with_variable, several, group_rule)


def _variables(present: QuerySet[ChecklistAnswer]) -> tuple[dict[int, int], list[tuple[int, list[int]]]]:
    """From the distinct (TPS, variable) pairs present, read in TPS order as they come: the TPS
    with an indicator of each variable, and (station id, its variables) of the TPS with two
    variables or more."""
    rows = present.values_list("station_id", "indicator__variable__number").distinct().order_by("station_id", "indicator__variable__number")
    with_variable: dict[int, int] = defaultdict(int)
    several: list[tuple[int, list[int]]] = []
    current, numbers = None, []
    for station_id, number in chain(rows.iterator(chunk_size=10000), [(None, None)]):
        if station_id != current:
            if len(numbers) >= 2:
                several.append((current, numbers))
            current, numbers = station_id, []
        if number is not None:
            with_variable[number] += 1
            numbers.append(number)
    return with_variable, several


def station_labels(ids: list[int], batch: int = 2000) -> dict[int, str]:
    """The label of each TPS of `ids` ("TPS 003 Ped"), read in batches (the release's TPS with
    several variables)."""
    labels = {}
    for start in range(0, len(ids), batch):
        for pk, number, village in Station.objects.filter(pk__in=ids[start : start + batch]).values_list("pk", "number", "village__name"):
            labels[pk] = tps_label(number, village)
    return labels


def classes_for(user: User, election: Election, within_area: str = "") -> dict[int, tuple[str, str]]:
    """station id -> (class, 'polisi' when set by the police or 'saran' when only suggested);
    `within_area` narrows the user's area to a region inside it."""
    return _class_state(user, election, within_area, with_changes=False)[0]


def classes_with_changes(user: User, election: Election, within_area: str = "") -> tuple[dict[int, tuple[str, str]], dict[int, tuple[str, str, str]]]:
    """`classes_for`, and the TPS whose suggestion changed since the police set their class:
    station id -> (class in force, the suggestion it was set on ('' when not recorded), the
    suggestion now)."""
    return _class_state(user, election, within_area, with_changes=True)


def _class_state(user: User, election: Election, within_area: str, *, with_changes: bool):
    require(user, Perm.VIEW_POLICE_CLASS)
    visible = stations_visible_to(user, election)
    if within_area:
        visible = visible.filter(villages_within("village__code", within_area))
    set_by_police = {
        sid: (level, based_on)
        for sid, level, based_on in StationClass.objects.filter(station__in=visible.values("pk")).order_by().values_list("station_id", "level", "suggested_level").iterator(chunk_size=10000)
    }
    sites = [(sid, special) for sid, special in visible.order_by().values_list("id", "is_special_location").iterator(chunk_size=10000) if with_changes or sid not in set_by_police]
    # The answers of every visible TPS; the classified ones are skipped in Python (and classified
    # only when the changes are wanted): a subquery restricted to "no police class" is
    # mis-estimated by PostgreSQL behind a cursor (16 s for a district; docs/benchmarks.md), while
    # this plain semi-join takes milliseconds.
    suggested = _suggest(election, sites, present_codes(visible)) if sites else {}
    result = {sid: (level, "polisi") for sid, (level, _) in set_by_police.items()}
    result.update({sid: (s.level, "saran") for sid, s in suggested.items() if sid not in set_by_police})
    changes = {sid: (level, based_on, suggested[sid].level) for sid, (level, based_on) in set_by_police.items() if sid in suggested and suggested[sid].level != based_on}
    return result, changes


def classes_by_district(user: User, election: Election, within_area: str = "", columns: tuple[str, ...] = ()) -> Iterator[tuple[str, dict[int, tuple[str, str]], list[tuple]]]:
    """`classes_for` of every district (kabupaten/kota) of the area with a TPS the user may see,
    district after district in the database's code order: (district code, station id -> (class,
    'polisi' | 'saran'), rows). `columns` (TPS fields as `values_list` names them) are read by the
    same query: `rows` holds a tuple per TPS, its id followed by their values, in village and
    number order (empty without `columns`).

    Set-based, for a national plan: two queries for the whole area (the TPS with their police
    class, the indicators present), read in chunks as they come and merged district by district,
    where `classes_for` takes five per area; the rule and the indicators read once, and a
    suggestion worked out once per distinct (indicators present, special location), on which
    alone it depends."""
    require(user, Perm.VIEW_POLICE_CLASS)
    visible = stations_visible_to(user, election)
    if within_area:
        visible = visible.filter(villages_within("village__code", within_area))
    rule = class_rule_for(election)
    variable_of = dict(Indicator.objects.filter(election=election).values_list("code", "variable__number"))
    stations = visible.order_by("village_id", "number").values_list("pk", "village_id", "is_special_location", "police_class__level", *columns)
    answers = ChecklistAnswer.objects.filter(present=True, station__in=visible.order_by().values("pk"))
    answers = answers.order_by("station__village_id").values_list("station__village_id", "station_id", "indicator__code")
    # Both read in the order of the same column: the districts come in the same order, those with
    # an answer a subsequence of those with a TPS.
    pending = iter(answers.iterator(chunk_size=10000))
    answer = next(pending, None)
    levels: dict[tuple[frozenset[str], bool], str] = {}
    for district, found in groupby(stations.iterator(chunk_size=10000), key=lambda row: codes.district_of(row[1])):
        present: dict[int, set[str]] = defaultdict(set)
        while answer is not None and codes.district_of(answer[0]) == district:
            present[answer[1]].add(answer[2])
            answer = next(pending, None)
        classes, rows = {}, []
        for sid, _, special, police, *values in found:
            if columns:
                rows.append((sid, *values))
            if police is not None:
                classes[sid] = (police, "polisi")
                continue
            key = (frozenset(present.get(sid, ())), special)
            if key not in levels:
                levels[key] = classify.suggest(set(key[0]), variable_of, special_location=special, rule=rule).level
            classes[sid] = (levels[key], "saran")
        yield district, classes, rows
    if answer is not None:
        raise RuntimeError(f"answers of district {codes.district_of(answer[0])} read out of the TPS's order")


@dataclass(frozen=True)
class SuggestionChange:
    """A TPS whose suggested class changed since the police set its class: awaiting the police
    until they confirm or override it (set it again)."""

    station: Station
    level: str  # the police class in force
    based_on: str  # the suggestion the police set it on; '' when not recorded
    suggested: str  # the suggestion now

    def labels(self) -> tuple[str, str, str]:
        return tuple(StationClass.Level(value).label if value else "—" for value in (self.level, self.based_on, self.suggested))


def changes_of(changes: dict[int, tuple[str, str, str]], stations: dict[int, Station]) -> list[SuggestionChange]:
    """`classes_with_changes`'s changes as rows, in TPS order, for stations already read."""
    rows = [SuggestionChange(stations[sid], *values) for sid, values in changes.items()]
    return sorted(rows, key=lambda c: (c.station.village_id, c.station.number))


def change_rows(changes: dict[int, tuple[str, str, str]]) -> list[SuggestionChange]:
    """`classes_with_changes`'s changes as rows, reading their TPS (no query when there are none)."""
    stations = {s.pk: s for s in Station.objects.filter(pk__in=list(changes)).select_related("village")} if changes else {}
    return changes_of(changes, stations)


def suggestion_changes(user: User, election: Election, within_area: str = "") -> list[SuggestionChange]:
    """The TPS of the user's area awaiting the police because their suggestion changed."""
    return change_rows(_class_state(user, election, within_area, with_changes=True)[1])


# How many TPS an alert names before "…".
SITUATION_CHANGES_NAMED = 10


def situation_alerts(user: User, election: Election, now: datetime) -> list[Alert]:
    """For the situation room (`core/alerts.py`): one warning naming the TPS whose suggested class
    changed since the police set it, until they confirm or override it. None for a user who may
    not see police classes."""
    if not can(user, Perm.VIEW_POLICE_CLASS):
        return []
    return change_alerts(suggestion_changes(user, election), election)


def change_alerts(changes: list[SuggestionChange], election: Election) -> list[Alert]:
    """`situation_alerts` of changes already read (the situation room counts the classes too)."""
    if not changes:
        return []
    named = [f"{c.station} ({c.labels()[0].lower()} → saran {c.labels()[2].lower()})" for c in changes[:SITUATION_CHANGES_NAMED]]
    detail = ", ".join(named) + (" …" if len(changes) > SITUATION_CHANGES_NAMED else "")
    title = f"{len(changes)} TPS: saran kelas berubah, menunggu konfirmasi kepolisian"
    url = reverse("risk:classes", args=[election.slug]) + "?tampil=berubah"
    return [Alert("warning", "Kelas TPS", title, detail, url)]


def intel_notes_for(user: User, station: Station) -> list[IntelNote]:
    """Police only: anyone else is refused, not shown an empty list."""
    if not can(user, Perm.VIEW_INTEL):
        raise PermissionDenied("Catatan intelijen hanya untuk kepolisian.")
    return list(IntelNote.objects.filter(station=station).select_related("author"))

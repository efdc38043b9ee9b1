"""Reads of the vulnerability mapping, scoped to the user's area."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.elections.models import Election, Stage
from sinergi.regions.queries import villages_within
from sinergi.risk import classify, release
from sinergi.risk.models import ChecklistAnswer, Indicator, IntelNote, RiskRules, StationClass
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


def release_for(user: User, election: Election) -> release.Release:
    """Bawaslu's release over the TPS the user may see."""
    require(user, Perm.VIEW_RISK)
    stations = list(stations_visible_to(user, election).values_list("id", "village_id"))
    infos = [release.StationInfo(sid, village, village.rsplit(".", 1)[0]) for sid, village in stations]
    indicators = [
        release.IndicatorInfo(code, number, text)
        for code, number, text in Indicator.objects.filter(election=election).values_list("code", "variable__number", "text")
    ]
    present = present_codes(stations_visible_to(user, election))
    pairs = [(sid, code) for sid, codes in present.items() for code in codes]
    rules = rules_for(election)
    return release.compute(indicators, infos, pairs, release.GroupRule(rules.top_group_size, rules.middle_group_size))


def classes_for(user: User, election: Election, within_area: str = "") -> dict[int, tuple[str, str]]:
    """station id -> (class, 'polisi' when set by the police or 'saran' when only suggested);
    `within_area` narrows the user's area to a region inside it."""
    require(user, Perm.VIEW_POLICE_CLASS)
    visible = stations_visible_to(user, election)
    if within_area:
        visible = visible.filter(villages_within("village__code", within_area))
    set_by_police = dict(StationClass.objects.filter(station__in=visible.values("pk")).order_by().values_list("station_id", "level").iterator(chunk_size=10000))
    missing = [(sid, special) for sid, special in visible.order_by().values_list("id", "is_special_location").iterator(chunk_size=10000) if sid not in set_by_police]
    # The answers of every visible TPS, the classified ones skipped here: a subquery restricted to
    # "no police class" is mis-estimated by PostgreSQL behind a cursor (16 s for a district;
    # docs/benchmarks.md), while this plain semi-join takes milliseconds.
    suggested = _suggest(election, missing, present_codes(visible)) if missing else {}
    result = {sid: (level, "polisi") for sid, level in set_by_police.items()}
    result.update({sid: (s.level, "saran") for sid, s in suggested.items()})
    return result


def intel_notes_for(user: User, station: Station) -> list[IntelNote]:
    """Police only: anyone else is refused, not shown an empty list."""
    if not can(user, Perm.VIEW_INTEL):
        raise PermissionDenied("Catatan intelijen hanya untuk kepolisian.")
    return list(IntelNote.objects.filter(station=station).select_related("author"))

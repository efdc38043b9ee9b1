"""Reads of the vulnerability mapping, scoped to the user's area."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.elections.models import Election, Stage
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
    return classify.ClassRule(frozenset(rules.severe_codes), rules.rawan_min_variables, rules.sangat_rawan_min_variables)


def present_codes(station_ids: list[int]) -> dict[int, set[str]]:
    """The indicator codes present at each station (stations with none are absent from the map)."""
    found: dict[int, set[str]] = defaultdict(set)
    answers = ChecklistAnswer.objects.filter(present=True)
    if len(station_ids) < 5000:  # a district: list them; a nation: read every present answer once
        answers = answers.filter(station_id__in=station_ids)
    for station_id, code in answers.values_list("station_id", "indicator__code"):
        found[station_id].add(code)
    return found


def suggestions_for_stations(election: Election, stations: list[Station]) -> dict[int, classify.Suggestion]:
    rule = class_rule_for(election)
    variable_of = dict(Indicator.objects.filter(election=election).values_list("code", "variable__number"))
    present = present_codes([s.pk for s in stations])
    return {
        s.pk: classify.suggest(present.get(s.pk, set()), variable_of, special_location=s.is_special_location, rule=rule) for s in stations
    }


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
    present = present_codes([sid for sid, _ in stations])
    pairs = [(sid, code) for sid, codes in present.items() for code in codes]
    rules = rules_for(election)
    return release.compute(indicators, infos, pairs, release.GroupRule(rules.top_group_size, rules.middle_group_size))


def classes_for(user: User, election: Election) -> dict[int, tuple[str, str]]:
    """station id -> (class, 'polisi' when set by the police or 'saran' when only suggested)."""
    require(user, Perm.VIEW_RISK)
    stations = list(stations_visible_to(user, election))
    set_by_police = dict(StationClass.objects.filter(station__in=[s.pk for s in stations]).values_list("station_id", "level"))
    missing = [s for s in stations if s.pk not in set_by_police]
    suggested = suggestions_for_stations(election, missing) if missing else {}
    result = {sid: (level, "polisi") for sid, level in set_by_police.items()}
    result.update({sid: (s.level, "saran") for sid, s in suggested.items()})
    return result


def intel_notes_for(user: User, station: Station) -> list[IntelNote]:
    """Police only: anyone else is refused, not shown an empty list."""
    if not can(user, Perm.VIEW_INTEL):
        raise PermissionDenied("Catatan intelijen hanya untuk kepolisian.")
    return list(IntelNote.objects.filter(station=station).select_related("author"))

"""Everything Sinergi knows about one TPS, for its page, each section only for a viewer whose
agency may see that part (`accounts/permissions.py`), read through that part's own scoped query.

A section the viewer may not see is None (left out of the page, never emptied in a template); a
section the viewer may see but that holds nothing is an empty list or a false value. Every section
is a fixed number of queries, whatever the TPS holds (reports, handovers, cases): no N+1.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can
from sinergi.elections.models import Election
from sinergi.stations.labels import tps_label
from sinergi.stations.models import Station


@dataclass
class GuardPost:
    number: int
    level: str
    police: int
    linmas: int
    together: list[tuple[int, str]]  # the other TPS of the post: (id, label)


@dataclass
class Profile:
    station: Station
    ptps: object | None = None  # supervisors.queries.Contact, or None: no active PTPS
    show_ptps: bool = False
    indicators: list | None = None  # present ChecklistAnswer rows with indicator and variable
    police_class: tuple[str, str] | None = None  # (level, "polisi" | "saran")
    show_class: bool = False
    guard_post: GuardPost | None = None
    show_guard: bool = False
    consignments: list | None = None  # Consignment rows (holder_label), handovers (from_label, to_label) and discrepancies
    reports: list | None = None  # Report rows, oldest first
    full_reports: bool = False  # the viewer opens the reports' Form A (Bawaslu), not only their status
    incidents: list | None = None  # Incident rows, oldest first
    cases: list | None = None  # Case rows of this TPS's incidents or its village, newest first


def profile_for(user: User, election: Election, station: Station) -> Profile:
    """The sections of `station` (already read through `stations.queries.station_detail`, so in
    the viewer's area) that `user` may see."""
    profile = Profile(station)
    if can(user, Perm.VIEW_SUPERVISORS) or can(user, Perm.VIEW_VOTING_DAY):
        # The police see the PTPS's name and its phone masked (`ptps_contacts`).
        from sinergi.supervisors.queries import ptps_contacts

        profile.show_ptps = True
        profile.ptps = ptps_contacts(user, election, [station.pk]).get(station.pk)
    if can(user, Perm.VIEW_RISK):
        from sinergi.risk.models import ChecklistAnswer

        profile.indicators = list(
            ChecklistAnswer.objects.filter(station=station, present=True)
            .select_related("indicator__variable")
            .order_by("indicator__variable__number", "indicator__order", "indicator__code")
        )
    if can(user, Perm.VIEW_POLICE_CLASS):
        from sinergi.risk.queries import classes_for

        profile.show_class = True
        profile.police_class = classes_for(user, election, within_area=station.village_id).get(station.pk)
    if can(user, Perm.VIEW_GUARD_PLAN):
        profile.show_guard = True
        profile.guard_post = _guard_post(user, election, station)
    if can(user, Perm.VIEW_LOGISTICS):
        _logistics(profile, election, station)
    if can(user, Perm.VIEW_VOTING_DAY):
        # Bawaslu opens each report's Form A; the police read the TPS's voting day without it
        # (`supervisors:station_status`: the stages, the security answers, the incidents).
        from sinergi.supervisors.models import Incident, Report

        profile.full_reports = can(user, Perm.VIEW_REPORTS)
        profile.reports = list(
            Report.objects.filter(election=election, station=station).order_by("observed_at", "pk").only("pk", "stage", "observed_at", "via")
        )
        profile.incidents = list(Incident.objects.filter(election=election, station=station).order_by("occurred_at", "pk"))
    try:
        from sinergi.cases.queries import cases_for

        cases = cases_for(user, election).filter(Q(incident__station=station) | Q(region_id=station.village_id))
        profile.cases = list(cases.order_by("-received_at", "-pk")[:50])
    except PermissionDenied:
        pass  # an agency that sees no case: no section
    return profile


def _guard_post(user: User, election: Election, station: Station) -> GuardPost | None:
    """The post guarding `station` in the viewer's plan (numbered as on the guard page)."""
    from sinergi.guard.queries import posts_for

    plan = posts_for(user, election)[0]
    post = next((p for p in plan.posts if station.pk in p.station_ids), None)
    if post is None:
        return None
    others = [sid for sid in post.station_ids if sid != station.pk]
    labels = (
        {pk: tps_label(number, village) for pk, number, village in Station.objects.filter(pk__in=others).values_list("pk", "number", "village__name")}
        if others
        else {}
    )
    return GuardPost(post.number, post.level, post.police, post.linmas, [(sid, labels.get(sid, "")) for sid in others])


def _logistics(profile: Profile, election: Election, station: Station) -> None:
    from sinergi.logistics.custody import party_labels
    from sinergi.logistics.models import Consignment, Handover

    handovers = Handover.objects.order_by("sequence").prefetch_related("discrepancies")
    profile.consignments = list(
        Consignment.objects.filter(election=election, station=station).order_by("direction", "pk").prefetch_related(Prefetch("handovers", queryset=handovers))
    )
    parties = {c.holder for c in profile.consignments} | {
        party for c in profile.consignments for h in c.handovers.all() for party in (h.from_party, h.to_party)
    }
    labels = party_labels(parties) if parties else {}
    for consignment in profile.consignments:  # labelled here: a template cannot look a dict up by a variable
        consignment.holder_label = labels.get(consignment.holder, consignment.holder)
        for handover in consignment.handovers.all():
            handover.from_label, handover.to_label = labels.get(handover.from_party, handover.from_party), labels.get(handover.to_party, handover.to_party)

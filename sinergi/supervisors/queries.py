"""Reads of the supervisors' roster, scoped to the user's area."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.core.alerts import Alert
from sinergi.elections.models import Election
from sinergi.regions.queries import villages_within, within
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to
from sinergi.supervisors import incident_flow
from sinergi.supervisors.contact import mask_phone, tel_uri
from sinergi.supervisors.coverage import Progress, progress_for, stage_due
from sinergi.supervisors.models import Assignment, FieldLogin, Incident, Question


def roster_for(user: User, election: Election) -> QuerySet[Assignment]:
    """Every post of the election in the user's area (history included), with its person."""
    require(user, Perm.VIEW_SUPERVISORS)
    return (
        Assignment.objects.filter(within("region__code", user.area_code), election=election)
        .select_related("supervisor", "station__village", "region")
        .order_by("region_id", "station__number", "role", "-started_on", "pk")
    )


@dataclass(frozen=True)
class Contact:
    """The PTPS of a TPS as a board shows it."""

    assignment_id: int
    name: str
    phone: str  # in full for those who may read personal data (Bawaslu), masked for the others
    tel: str  # a tel: link, only with the phone in full


def ptps_contacts(user: User, election: Election, station_ids) -> dict[int, Contact]:
    """station id -> its active PTPS, for the TPS among `station_ids` in the user's area; empty for
    a user who reads neither the roster nor the voting day. The police (`reports.view_status`
    without the roster) get the name and the phone masked, for the TPS whose voting day they
    follow (`stations_watched_by`). One query, however many TPS."""
    roster = can(user, Perm.VIEW_SUPERVISORS)
    if not roster and not can(user, Perm.VIEW_VOTING_DAY):
        return {}
    in_full = can(user, Perm.VIEW_PERSONAL_DATA)
    posts = Assignment.objects.filter(election=election, role=Assignment.Role.PTPS, status__in=Assignment.ACTIVE, station_id__in=list(station_ids))
    if roster:
        posts = posts.filter(within("region__code", user.area_code))
    else:
        from sinergi.stations.queries import stations_watched_by

        posts = posts.filter(station__in=stations_watched_by(user, election).order_by().values("pk"))
    posts = posts.order_by("station_id", "-started_on", "-pk").values_list("station_id", "pk", "supervisor__name", "supervisor__phone")
    contacts: dict[int, Contact] = {}
    for station_id, pk, name, phone in posts:
        if station_id not in contacts:
            contacts[station_id] = Contact(pk, name, phone if in_full else mask_phone(phone), tel_uri(phone) if in_full else "")
    return contacts


def filtered_roster(user: User, election: Election, *, search: str = "", region_code: str = "", status: str = "") -> QuerySet[Assignment]:
    """The roster of the user's area narrowed by what the page's filters hold: `search` a name
    ("Wayan") or a TPS as people type it ("TPS 17 Ped", `stations.search`), `region_code` a
    kecamatan or village inside the area, `status` one of `Assignment.Status`."""
    from sinergi.stations.queries import search_filter

    roster = roster_for(user, election)
    if region_code:
        roster = roster.filter(within("region__code", region_code))
    if status in Assignment.Status.values:
        roster = roster.filter(status=status)
    if search.strip():
        roster = roster.filter(Q(supervisor__name__icontains=search.strip()) | (Q(station__isnull=False) & search_filter(search, prefix="station__")))
    return roster


def eligible_posts(actor: User | None, election: Election) -> QuerySet[Assignment]:
    """The active PTPS posts (eligible or inaugurated) of the actor's area: who gets a code."""
    area = actor.area_code if actor is not None else None
    return (
        Assignment.objects.filter(within("region__code", area), election=election, role=Assignment.Role.PTPS, status__in=Assignment.ACTIVE)
        .select_related("supervisor__user", "station__village__parent", "election")
        .order_by("region_id", "station__number")
    )


def without_code(posts: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return posts.exclude(pk__in=FieldLogin.objects.filter(revoked_at__isnull=True).values("assignment_id"))


def codes_not_sent(posts: QuerySet[Assignment]) -> QuerySet[FieldLogin]:
    """The live codes of `posts` not yet sent by SMS to a PTPS with a phone number."""
    return FieldLogin.objects.filter(assignment__in=posts, revoked_at__isnull=True, sms_sent_at__isnull=True).exclude(assignment__supervisor__phone="")


def with_field_code(posts: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Each post with its live field code's state, in the same query: `has_code`, `code_signed_in`
    (its last sign-in) and `code_sms_sent` (when it was sent by SMS)."""
    live = FieldLogin.objects.filter(assignment=OuterRef("pk"), revoked_at__isnull=True)
    return posts.annotate(
        has_code=Exists(live), code_signed_in=Subquery(live.values("signed_in_at")[:1]), code_sms_sent=Subquery(live.values("sms_sent_at")[:1])
    )


def field_code_summary(user: User, election: Election, now: datetime) -> dict[str, int]:
    """The roster's field-code card, for the active PTPS of the user's area, in one query: how many
    there are, have a live code, are signed in (a sign-in within FIELD_SESSION_AGE of `now`), and
    whose code was sent by SMS, waits to be sent, or failed to send."""
    require(user, Perm.VIEW_SUPERVISORS)
    live = Q(field_logins__revoked_at__isnull=True)
    return Assignment.objects.filter(
        within("region__code", user.area_code), election=election, role=Assignment.Role.PTPS, status__in=Assignment.ACTIVE
    ).aggregate(
        posts=Count("pk", distinct=True),
        with_code=Count("field_logins", filter=live),
        signed_in=Count("field_logins", filter=live & Q(field_logins__signed_in_at__gt=now - timedelta(seconds=settings.FIELD_SESSION_AGE))),
        sms_sent=Count("field_logins", filter=live & Q(field_logins__sms_sent_at__isnull=False)),
        sms_waiting=Count(
            "field_logins", filter=live & Q(field_logins__sms_queued_at__isnull=False, field_logins__sms_sent_at__isnull=True, field_logins__sms_error="")
        ),
        sms_failed=Count("field_logins", filter=live & ~Q(field_logins__sms_error="")),
    )


def active_ptps_post(user: User) -> Assignment | None:
    """The active PTPS post of the account tied to a roster entry (`Supervisor.user`), with its TPS
    and election: what the field app reports for. None for an account without one."""
    if not user.is_authenticated:
        return None
    return (
        Assignment.objects.filter(supervisor__user=user, role=Assignment.Role.PTPS, status__in=Assignment.ACTIVE)
        .select_related("station__village", "election")
        .order_by("-election__voting_date", "pk")
        .first()
    )


def gaps_for(user: User, election: Election) -> QuerySet[Station]:
    """The TPS of the user's area with no active PTPS: recruitment gaps, visible at once."""
    require(user, Perm.VIEW_SUPERVISORS)
    staffed = Assignment.objects.filter(election=election, role=Assignment.Role.PTPS, status__in=Assignment.ACTIVE).values("station_id")
    return stations_visible_to(user, election).filter(villages_within("village__code", user.area_code)).exclude(pk__in=staffed)


# How many late TPS an alert names before "…".
SITUATION_MISSING_NAMED = 10
_INCIDENT_LEVEL = {Incident.Severity.HIGH: "danger", Incident.Severity.MEDIUM: "warning"}


def situation_alerts(user: User, election: Election, now: datetime) -> list[Alert]:
    """For the situation room (`core/alerts.py`), as of `now`: the TPS without a Form A for the
    last stage due ("danger", one alert naming the first few), and the incidents, serious ones as
    "danger", medium as "warning", minor as "info". None for a user who may not read the voting
    day (`reports.view_status`: Bawaslu's levels and the police)."""
    if not can(user, Perm.VIEW_VOTING_DAY):
        return []
    stage = stage_due(election, now, user.area_code) or Question.Stage.PREPARATION
    return progress_alerts(progress_for(user, election, stage, now, named=SITUATION_MISSING_NAMED), election)


def progress_alerts(progress: Progress, election: Election) -> list[Alert]:
    """`situation_alerts` of a progress already counted (the situation room also shows its numbers)."""
    stage = progress.stage
    url = reverse("supervisors:coverage", args=[election.slug])
    alerts = []
    if progress.missing:
        names = ", ".join(progress.first_missing) + (" …" if progress.missing > len(progress.first_missing) else "")
        title = f"{progress.missing} TPS belum mengirim Form A tahap {Question.Stage(stage).label.lower()} (batas {progress.due:%H.%M})"
        alerts.append(Alert("danger", "Laporan PTPS", title, names, f"{url}?tahap={stage}", progress.due))
    for incident in progress.incidents:
        title = f"Kejadian {incident.get_severity_display().lower()}: {incident.get_category_display()} — {incident.station}"
        incident_url = reverse("supervisors:incident", args=[election.slug, incident.pk])
        level = _INCIDENT_LEVEL.get(incident.severity, "info")
        if incident.state in incident_flow.FINAL:
            # Handled: it stays on the timeline, no longer among what needs someone now.
            level, title = "info", f"{title} ({incident.get_state_display().lower()})"
        alerts.append(Alert(level, "Laporan PTPS", title, incident.description[:160], incident_url, incident.occurred_at))
    # An answer that needs attention (a box not sealed, intimidation): a warning, opening the TPS's voting day.
    for concern in progress.concerns:
        title = f"Perlu perhatian: {concern.station} — {concern.question}: {concern.answer}"
        detail = f"Form A tahap {Question.Stage(concern.stage).label.lower()}"
        alerts.append(
            Alert(
                "warning", "Laporan PTPS", title, detail, reverse("supervisors:station_status", args=[election.slug, concern.station_id]), concern.observed_at
            )
        )
    return alerts


# -- incidents handed to the police (docs/incidents.md) ----------------------------------------


def incidents_for(user: User, election: Election, *, state: str = "") -> QuerySet[Incident]:
    """The incidents `user` may read: the supervisors (Form A readers) those of their area; the
    police those of the TPS whose voting day they follow (their area; a Polsek's includes the
    kecamatan it covers) and any referred or escalated to their agency — they act only on the
    latter (`incidents.responds`); the Polda and Polri those of their area, acting on none; a PTPS
    its own. PermissionDenied for anyone else. `state`
    narrows."""
    from sinergi.supervisors.incidents import covered_area

    if can(user, Perm.VIEW_REPORTS):
        found = Incident.objects.filter(villages_within("station__village__code", user.area_code), election=election)
    elif can(user, Perm.RESPOND_INCIDENTS) and user.agency_id:
        found = Incident.objects.filter(covered_area(user) | Q(agency_id=user.agency_id) | Q(escalated_to_id=user.agency_id), election=election)
    elif can(user, Perm.VIEW_VOTING_DAY):
        # The police above the district (Polda, Polri): those of their area, read only.
        found = Incident.objects.filter(villages_within("station__village__code", user.area_code), election=election)
    elif can(user, Perm.FILE_REPORTS) and user.is_authenticated:
        found = Incident.objects.filter(election=election, filed_by=user)
    else:
        raise PermissionDenied("missing permission incidents")
    if state in Incident.State.values:
        found = found.filter(state=state)
    return found.select_related("station__village", "agency", "escalated_to").order_by("-occurred_at", "-pk")


def incident_for(user: User, election: Election, pk: int) -> Incident:
    incident = incidents_for(user, election).select_related("election", "filed_by").filter(pk=pk).first()
    if incident is None:
        raise Http404("Kejadian tidak ada atau bukan untuk Anda.")
    return incident


def steps_of(incident: Incident) -> list:
    return list(incident.steps.select_related("actor", "agency").order_by("at", "pk"))


def own_incidents(user: User) -> list[Incident]:
    """A PTPS's own incidents with their state and the resolution's step, newest first (the field
    app's "Jawaban atas kejadian")."""
    from sinergi.supervisors.models import IncidentStep

    if not user.is_authenticated:
        return []
    incidents = list(Incident.objects.filter(filed_by=user).select_related("station__village", "agency", "election").order_by("-occurred_at")[:20])
    outcomes = {}
    for step in IncidentStep.objects.filter(incident__in=incidents, action__in=["selesaikan", "tutup", "rujuk", "terima", "tiba"]).select_related("agency").order_by("at", "pk"):
        outcomes[step.incident_id] = step  # the latest step says where it stands
    for incident in incidents:
        incident.last_step = outcomes.get(incident.pk)
    return incidents


def overdue_incidents(user: User, election: Election, now: datetime) -> QuerySet[Incident]:
    """The incidents the user may read whose clock (acknowledge or arrive) has run out at `now`."""
    from sinergi.supervisors import incident_flow as flow

    return incidents_for(user, election).filter(
        Q(state__in=flow.WAITING_ACKNOWLEDGEMENT, acknowledge_due__lte=now) | Q(state__in=flow.WAITING_ARRIVAL, arrival_due__lte=now)
    )


def incident_clock_alerts(user: User, election: Election, now: datetime) -> list[Alert]:
    """For the situation room (`core/alerts.py` contract): every overdue clock of an incident the
    user may read, "danger", at its due time. None for a user who reads no incidents."""
    from sinergi.supervisors import incident_flow as flow

    if not (can(user, Perm.VIEW_REPORTS) or can(user, Perm.RESPOND_INCIDENTS)):
        return []
    tz = ZoneInfo(election.time_zone)
    alerts = []
    for incident in overdue_incidents(user, election, now)[:50]:
        clock = flow.overdue(incident.state, incident.acknowledge_due, incident.arrival_due, now)
        due = incident.acknowledge_due if clock == flow.ACKNOWLEDGE else incident.arrival_due
        what = "belum diterima" if clock == flow.ACKNOWLEDGE else "polisi belum tiba"
        owner = incident.agency.name if incident.agency else ""
        if incident.escalated_to:
            owner += f", dieskalasi ke {incident.escalated_to.name}"
        title = f"Batas waktu kejadian lewat ({what}): {incident.get_category_display()} — {incident.station}"
        detail = f"Batas {due.astimezone(tz):%H.%M} · {owner}"
        alerts.append(Alert("danger", "Kejadian", title, detail, reverse("supervisors:incident", args=[election.slug, incident.pk]), due))
    return alerts

"""Writes of an incident's handling: referral to the police, acknowledgement, arrival, resolution,
closing as not a police matter, and the escalation clock (docs/incidents.md). The rules are in
`incident_flow.py`; here each step is checked against the actor and the stored state, stored as an
IncidentStep with the incident's new state in ONE durable transaction with its audit event.

Every step a person takes carries a `client_id` made by the client: the same id again returns the
step stored the first time (no second step, no second audit event); an id already used for another
incident or action is a conflict (IncidentConflict, 409 in the API). A step the state does not
allow raises `incident_flow.TransitionRefused` (409 too).

Escalation is claimed with one conditional UPDATE (`escalated_at IS NULL AND <clock ran out>`):
whichever worker's UPDATE changes the row escalates, any other one changes nothing and moves on,
so an incident escalates exactly once however many sweeps and scheduled tasks look at it.

Whom a step tells (its `tell`: the police it was referred to; on escalation the Polres and Bawaslu
Kabupaten; on the outcome the PTPS who filed it, Bawaslu and the police) is told through
`notifications.notify` inside the step's transaction, keyed `incident:<id>:<action>`, so a step
stored once notifies once and its deliveries leave only if it commits.
"""

import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.models import Agency, PolsekCoverage, User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.audit.services import Change, record
from sinergi.regions import codes
from sinergi.regions.queries import villages_within
from sinergi.stations.models import Station
from sinergi.supervisors import incident_flow as flow
from sinergi.supervisors.models import Incident, IncidentStep
from sinergi.supervisors.response_timers import crossing_minutes, timer_for


class IncidentConflict(Exception):
    """A step's client id already used for another incident or action (the API answers 409)."""


def polres_for(village_code: str) -> Agency | None:
    """The Polres whose area holds the village (the nearest one up the tree)."""
    return Agency.objects.filter(kind=Agency.Kind.POLRES, region_id__in=codes.lineage(village_code)).order_by("-region_id").first()


def bawaslu_for(village_code: str) -> Agency | None:
    """Bawaslu Kabupaten/Kota of the village: told of every escalation and every outcome."""
    return Agency.objects.filter(kind=Agency.Kind.BAWASLU, region_id__in=codes.lineage(village_code)).order_by("-region_id").first()


def polsek_for(station: Station) -> Agency | None:
    """The Polsek answering for the TPS's kecamatan (its own, or the one covering it: PolsekCoverage)."""
    from sinergi.guard.queries import polseks_by_kecamatan

    kecamatan = station.village.parent_id
    return polseks_by_kecamatan(kecamatan).get(kecamatan)


def referral_targets(incident: Incident) -> list[Agency]:
    """Where an incident may be referred: the Polsek of its TPS, then the Polres."""
    return [agency for agency in (polsek_for(incident.station), polres_for(incident.station.village_id)) if agency is not None]


# -- who is which side ------------------------------------------------------------------------


def covered_area(user: User) -> Q:
    """The TPS (by `station__village__code`) of `user`'s area, and for a Polsek those of the
    kecamatan it covers for another one (PolsekCoverage)."""
    area = villages_within("station__village__code", user.area_code)
    if user.agency_id and user.agency.kind == Agency.Kind.POLSEK:
        # In the same query: the villages whose kecamatan this Polsek covers.
        area |= Q(station__village__parent_id__in=PolsekCoverage.objects.filter(polsek_id=user.agency_id).values("kecamatan_id"))
    return area


def supervises(user: User, incident: Incident) -> bool:
    """Bawaslu or the Panwascam of the incident's area (they refer and close)."""
    return can(user, Perm.REFER_INCIDENTS) and Incident.objects.filter(villages_within("station__village__code", user.area_code), pk=incident.pk).exists()


def responds(user: User, incident: Incident) -> bool:
    """The police agency the incident is referred or escalated to, within its area."""
    if not can(user, Perm.RESPOND_INCIDENTS) or not user.agency_id or user.agency_id not in (incident.agency_id, incident.escalated_to_id):
        return False
    return Incident.objects.filter(covered_area(user), pk=incident.pk).exists()


def side_of(user: User, incident: Incident) -> str | None:
    if user.is_superuser:
        return None
    if supervises(user, incident):
        return flow.SUPERVISORS
    if responds(user, incident):
        return flow.POLICE
    return None


def actions_for(user: User, incident: Incident) -> list[str]:
    """The actions `user` may take on `incident` now (what its page offers)."""
    side = side_of(user, incident)
    return [move.action for move in flow.moves(incident.state, side)] if side else []


# -- the steps --------------------------------------------------------------------------------


def _tell_outcome(incident: Incident) -> list[str]:
    """Who hears the outcome: the PTPS who filed it, Bawaslu Kabupaten, and the police that had it."""
    tell = [f"user:{incident.filed_by_id}"] if incident.filed_by_id else []
    bawaslu = bawaslu_for(incident.station.village_id)
    tell += [f"agency:{bawaslu.pk}"] if bawaslu else []
    tell += [f"agency:{pk}" for pk in (incident.agency_id, incident.escalated_to_id) if pk]
    return tell


_TOLD = {
    flow.REFER: "Kejadian dirujuk ke {agency}",
    flow.ESCALATE: "Eskalasi kejadian ({note})",
    flow.RESOLVE: "Kejadian selesai ditangani",
    flow.CLOSE: "Kejadian ditutup: bukan ranah kepolisian",
}


def _tell(incident: Incident, step: IncidentStep) -> int:
    """Notify whom `step.tell` names (`user:<id>`, `agency:<id>`: its active users), inside the
    step's transaction. Returns the number of notifications written."""
    from sinergi.notifications.services import notify

    if not step.tell:
        return 0
    user_ids = [int(t.split(":")[1]) for t in step.tell if t.startswith("user:")]
    agency_ids = [int(t.split(":")[1]) for t in step.tell if t.startswith("agency:")]
    recipients = User.objects.filter(Q(pk__in=user_ids) | Q(agency_id__in=agency_ids), is_active=True)
    agency = step.agency.name if step.agency_id else "kepolisian"
    title = _TOLD.get(step.action, flow.ACTION_LABELS.get(step.action, step.action)).format(agency=agency, note=step.note.rstrip(".").lower())
    title = f"{title}: {incident.get_category_display()} — {incident.station}"
    body = f"Tingkat {incident.get_severity_display().lower()}. {step.note}".strip()
    if step.action == flow.RESOLVE and step.done_by:
        body += f" Oleh: {step.done_by}."
    url = reverse("supervisors:incident", args=[incident.election.slug, incident.pk])
    return notify(
        recipients=recipients,
        kind=f"incident.{step.action}",
        title=title,
        body=body,
        url=url,
        election=incident.election,
        source_key=f"incident:{incident.pk}:{step.action}",
    )


def _repeat(client_id: uuid.UUID, incident: Incident, action: str) -> IncidentStep | None:
    """The step already stored under `client_id`, if it is this one; IncidentConflict if the id was
    used for another incident or action."""
    step = IncidentStep.objects.filter(client_id=client_id).first()
    if step is None:
        return None
    if step.incident_id != incident.pk or step.action != action:
        raise IncidentConflict(f"Id langkah {client_id} sudah dipakai untuk langkah lain; buat id baru untuk langkah ini.")
    return step


def _take(
    *, actor: User, incident: Incident, action: str, client_id: uuid.UUID, perm: Perm, side: str, change, note: str = "", **step_fields
) -> tuple[IncidentStep, bool]:
    """One person's step: permission, the actor's side, idempotency on `client_id`, the state
    (read under lock), then step + incident + audit in one durable transaction. `change(locked,
    now)` sets the incident's new fields and returns the step's `agency` and `tell`."""
    require(actor, perm)
    if (step := _repeat(client_id, incident, action)) is not None:
        return step, False
    actual = side_of(actor, incident)
    if actual is None:
        raise PermissionDenied("Kejadian ini bukan di wilayah atau tanggung jawab Anda.")
    if actual != side:
        raise flow.TransitionRefused(incident.state, action, actual)
    now = timezone.now()
    try:
        with transaction.atomic(durable=True):
            locked = Incident.objects.select_for_update().select_related("station__village", "election").get(pk=incident.pk)
            before = locked.state
            locked.state = flow.next_state(before, action, side)
            agency, tell = change(locked, now)
            step = IncidentStep.objects.create(
                incident=locked, action=action, from_state=before, to_state=locked.state, at=now, happened_at=step_fields.pop("happened_at", None) or now,
                actor=actor, agency=agency, note=note.strip(), client_id=client_id, tell=tell, **step_fields,
            )  # fmt: skip
            # Only the handling's fields: `audited` belongs to the sealing of intake (supervisors/sealing.py).
            locked.save(update_fields=["state", "agency", "referred_at", "acknowledge_due", "arrival_due"])
            record(actor=actor, changes=[_change(locked, step, before)])
            _tell(locked, step)
    except IntegrityError:
        if (step := _repeat(client_id, incident, action)) is not None:  # the same step sent twice at once
            return step, False
        raise
    incident.__dict__.update({f.attname: getattr(locked, f.attname) for f in Incident._meta.concrete_fields})
    return step, True


def _change(incident: Incident, step: IncidentStep, before: str) -> Change:
    changes = {"status": [before, step.to_state]}
    if step.agency_id:
        changes["lembaga"] = [None, step.agency.name]
    if step.note:
        changes["catatan"] = [None, step.note]
    return Change(
        f"incident.{step.action}", "supervisors.incident", str(incident.pk), str(incident.station), incident.election.slug, changes, incident.station.village_id
    )


def refer(*, actor: User, incident: Incident, client_id: uuid.UUID, agency: Agency | None = None, note: str = "") -> tuple[IncidentStep, bool]:
    """Refer `incident` to `agency` — the Polsek of its TPS (the default) or the Polres — and start
    its clocks: due times from the election's timer for its severity, the arrival lengthened by the
    sea crossing to the TPS. Schedules the escalation check at both due times."""
    targets = referral_targets(incident)
    if agency is None and targets:
        agency = targets[0]
    if agency is None or agency.pk not in {t.pk for t in targets}:
        raise ValidationError("Rujukan: pilih Polsek TPS ini atau Polres-nya.")

    def change(locked: Incident, now: datetime):
        locked.agency, locked.referred_at = agency, now
        locked.acknowledge_due, locked.arrival_due = flow.due_times(now, timer_for(locked.election, locked.severity), crossing_minutes(locked.station))
        pk, dues = locked.pk, (locked.acknowledge_due, locked.arrival_due)
        transaction.on_commit(lambda: schedule_escalation(pk, dues))
        return agency, [f"agency:{agency.pk}"]

    return _take(
        actor=actor, incident=incident, action=flow.REFER, client_id=client_id, perm=Perm.REFER_INCIDENTS, side=flow.SUPERVISORS, change=change, note=note
    )


def acknowledge(*, actor: User, incident: Incident, client_id: uuid.UUID, note: str = "") -> tuple[IncidentStep, bool]:
    return _take(
        actor=actor,
        incident=incident,
        action=flow.ACKNOWLEDGE,
        client_id=client_id,
        perm=Perm.RESPOND_INCIDENTS,
        side=flow.POLICE,
        change=lambda locked, now: (actor.agency, []),
        note=note,
    )


def arrive(*, actor: User, incident: Incident, client_id: uuid.UUID, note: str = "") -> tuple[IncidentStep, bool]:
    return _take(
        actor=actor,
        incident=incident,
        action=flow.ARRIVE,
        client_id=client_id,
        perm=Perm.RESPOND_INCIDENTS,
        side=flow.POLICE,
        change=lambda locked, now: (actor.agency, []),
        note=note,
    )


def resolve(*, actor: User, incident: Incident, client_id: uuid.UUID, done: str, done_by: str, done_at: datetime | None = None) -> tuple[IncidentStep, bool]:
    """The resolution: what was done (`done`), by whom (`done_by`), when (`done_at`, not in the
    future). Told to the PTPS who filed it and to Bawaslu (the step's `tell`)."""
    errors = []
    if not done.strip():
        errors.append("Tindakan: tuliskan apa yang dilakukan.")
    if not done_by.strip():
        errors.append("Oleh: tuliskan siapa yang menangani (nama/pangkat atau unit).")
    if done_at is not None and done_at > timezone.now():
        errors.append("Waktu: tidak boleh di masa depan.")
    if len(done) > 2000 or len(done_by) > 200:
        errors.append("Tindakan paling panjang 2.000 karakter, oleh paling panjang 200.")
    if errors:
        if (step := _repeat(client_id, incident, flow.RESOLVE)) is not None:
            return step, False
        raise ValidationError(errors)
    return _take(
        actor=actor, incident=incident, action=flow.RESOLVE, client_id=client_id, perm=Perm.RESPOND_INCIDENTS, side=flow.POLICE,
        change=lambda locked, now: (actor.agency, _tell_outcome(locked)), note=done, done_by=done_by.strip(), happened_at=done_at,
    )  # fmt: skip


def close(*, actor: User, incident: Incident, client_id: uuid.UUID, reason: str) -> tuple[IncidentStep, bool]:
    """Closed as not a police matter, with the reason; told to the PTPS, Bawaslu and any police that had it."""
    if not reason.strip() or len(reason) > 2000:
        if (step := _repeat(client_id, incident, flow.CLOSE)) is not None:
            return step, False
        raise ValidationError("Alasan: tuliskan mengapa kejadian ini bukan ranah kepolisian (paling panjang 2.000 karakter).")
    return _take(
        actor=actor, incident=incident, action=flow.CLOSE, client_id=client_id, perm=Perm.REFER_INCIDENTS, side=flow.SUPERVISORS,
        change=lambda locked, now: (actor.agency, _tell_outcome(locked)), note=reason,
    )  # fmt: skip


# -- the clock --------------------------------------------------------------------------------


def _running_out(now: datetime) -> Q:
    return Q(escalated_at__isnull=True) & (
        Q(state__in=flow.WAITING_ACKNOWLEDGEMENT, acknowledge_due__lte=now) | Q(state__in=flow.WAITING_ARRIVAL, arrival_due__lte=now)
    )


def escalate_one(incident_id: int, now: datetime) -> IncidentStep | None:
    """Escalate the incident if its clock ran out at `now` and it never escalated: the claim is
    the conditional UPDATE, so of two workers at once exactly one gets it. The Polres joins as owner
    (for a referral to a Polsek), Bawaslu Kabupaten is told. None when there was nothing to do."""
    with transaction.atomic(durable=True):
        if not Incident.objects.filter(_running_out(now), pk=incident_id).update(escalated_at=now):
            return None
        incident = Incident.objects.select_related("station__village", "election", "agency").get(pk=incident_id)
        clock = flow.overdue(incident.state, incident.acknowledge_due, incident.arrival_due, now)
        polres = polres_for(incident.station.village_id)
        tell = []
        if polres is not None and incident.agency_id != polres.pk:
            incident.escalated_to = polres
            Incident.objects.filter(pk=incident_id).update(escalated_to=polres)
            tell.append(f"agency:{polres.pk}")
        elif incident.agency_id:
            tell.append(f"agency:{incident.agency_id}")  # a Polres referral: the Polres itself is reminded
        if (bawaslu := bawaslu_for(incident.station.village_id)) is not None:
            tell.append(f"agency:{bawaslu.pk}")
        what = "belum diterima" if clock == flow.ACKNOWLEDGE else "polisi belum tiba"
        due = incident.acknowledge_due if clock == flow.ACKNOWLEDGE else incident.arrival_due
        step = IncidentStep.objects.create(
            incident=incident, action=flow.ESCALATE, from_state=incident.state, to_state=incident.state, at=now, happened_at=due or now,
            agency=incident.escalated_to or incident.agency, note=f"Batas waktu lewat: {what}.", tell=tell,
        )  # fmt: skip
        record(actor=None, changes=[_change(incident, step, incident.state)])
        _tell(incident, step)
    return step


def escalate_due(now: datetime | None = None) -> int:
    """The sweep (a periodic task, the safety net under the scheduled checks): escalate every
    incident whose clock ran out at `now`. Returns how many this call escalated."""
    now = now or timezone.now()
    ids = list(Incident.objects.filter(_running_out(now)).order_by("arrival_due").values_list("pk", flat=True)[:500])
    return sum(1 for pk in ids if escalate_one(pk, now) is not None)


def schedule_escalation(incident_id: int, dues: tuple[datetime, datetime]) -> None:
    """Queue the escalation check of one incident at each of its due times (django.tasks); a
    backend that cannot defer (the tests' immediate one) leaves it to the sweep."""
    from sinergi.supervisors.tasks import escalate_incident

    backend = escalate_incident.get_backend()
    if not backend.supports_defer:
        return
    for due in sorted(set(dues)):
        escalate_incident.using(run_after=due).enqueue(incident_id)


def incident_by_client_id(client_id) -> Incident:
    incident = Incident.objects.filter(client_id=client_id).first()
    if incident is None:
        raise Http404("Kejadian tidak ada.")
    return incident

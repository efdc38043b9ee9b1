"""An election's response timers per incident severity (minutes to acknowledge and to arrive; the
defaults of its kind until Bawaslu sets them) and the sea crossing that lengthens the arrival clock
of a TPS on an island (docs/incidents.md, "Response timers"). A referral stores its due times, so a
change applies to incidents referred from then on."""

from django.core.exceptions import ValidationError
from django.db import transaction

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, record
from sinergi.regions.codes import district_of
from sinergi.stations.models import Station
from sinergi.supervisors import incident_flow as flow
from sinergi.supervisors.models import Incident, ResponseTimer


def timer_for(election, severity: str) -> flow.Timer:
    row = ResponseTimer.objects.filter(election=election, severity=severity).first()
    return flow.Timer(row.acknowledge_minutes, row.arrive_minutes) if row else flow.default_timer(election.kind, severity)


def timers_of(election) -> dict[str, flow.Timer]:
    """Severity -> the election's timer (its rows, else the defaults of its kind)."""
    rows = {row.severity: flow.Timer(row.acknowledge_minutes, row.arrive_minutes) for row in ResponseTimer.objects.filter(election=election)}
    return {severity: rows.get(severity, flow.default_timer(election.kind, severity)) for severity in Incident.Severity.values}


def crossing_minutes(station: Station) -> int:
    """The sea crossing to a TPS in minutes (the crossing the TPS names in its district's network);
    `UNKNOWN_CROSSING_MINUTES` for a sea TPS whose crossing the network lacks, 0 on land."""
    from sinergi.logistics.models import Crossing

    if station.access != Station.Access.SEA:
        return 0
    duration = (
        Crossing.objects.filter(election_id=station.election_id, district_id=district_of(station.village_id), name=station.crossing)
        .values_list("duration_min", flat=True)
        .first()
        if station.crossing
        else None
    )
    return duration if duration is not None else flow.UNKNOWN_CROSSING_MINUTES


def set_timers(*, actor: User, election, values: dict[str, tuple]) -> None:
    """Set the election's response timers: severity -> (acknowledge minutes, arrive minutes), as
    typed. Applies to incidents referred from now on (a referral stores its due times)."""
    require(actor, Perm.MANAGE_ELECTIONS)
    labels = dict(Incident.Severity.choices)
    clean, errors = {}, []
    for severity, (acknowledge, arrive) in values.items():
        if severity not in labels:
            continue
        try:
            ack, arr = int(acknowledge), int(arrive)
        except (TypeError, ValueError):
            errors.append(f"Tingkat {labels[severity]}: isi menit sebagai bilangan bulat.")
            continue
        if not 1 <= ack <= 24 * 60 or not ack <= arr <= 48 * 60:
            errors.append(f"Tingkat {labels[severity]}: diterima dalam 1–1.440 menit, tiba tidak lebih cepat dari diterima (paling lama 2.880 menit).")
            continue
        clean[severity] = (ack, arr)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        changes = {}
        for severity, (ack, arr) in clean.items():
            before = timer_for(election, severity)
            ResponseTimer.objects.update_or_create(election=election, severity=severity, defaults={"acknowledge_minutes": ack, "arrive_minutes": arr})
            if (before.acknowledge, before.arrive) != (ack, arr):
                changes[severity] = [[before.acknowledge, before.arrive], [ack, arr]]
        record(actor=actor, changes=[Change("incident.timers", "elections.election", str(election.pk), election.name, election.slug, changes)])

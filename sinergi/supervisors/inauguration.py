"""Inauguration: supervisors into sessions (island supervisors on their island, the rest at the
main venue while its capacity lasts, then the others), invitations with a QR code, check-in by
scanning it — which is what makes a supervisor inaugurated."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, record
from sinergi.elections.models import Election
from sinergi.regions.codes import is_within
from sinergi.regions.models import Region
from sinergi.regions.queries import within
from sinergi.stations.models import Station
from sinergi.supervisors.models import Assignment, Invitation, Session, Venue

MAINLAND = "daratan"


def island_of(assignment: Assignment) -> str:
    """The landmass a supervisor works on: a sea TPS's crossing, else the mainland. A PKD or
    Panwascam takes the island of the TPS of its area."""
    station = assignment.station
    if station is None:
        station = Station.objects.filter(election=assignment.election, village__code__startswith=assignment.region_id).order_by("village_id", "number").first()
    if station is not None and station.access == Station.Access.SEA and station.crossing:
        return station.crossing
    return MAINLAND


def invite(*, actor: User | None, election: Election) -> dict[str, int]:
    """Place every active supervisor of the actor's area without an invitation into a session of their island, in
    venue priority then time order, while seats last. Returns {"diundang": n, "tanpa_tempat": m}."""
    if actor is not None:
        require(actor, Perm.MANAGE_SUPERVISORS)
    with transaction.atomic(durable=True):
        sessions = list(Session.objects.filter(venue__election=election).select_related("venue").order_by("venue__priority", "starts_at", "pk"))
        seats = {s.pk: s.venue.capacity - s.invitations.count() for s in sessions}
        waiting = (
            Assignment.objects.filter(election=election, status__in=Assignment.ACTIVE, invitation__isnull=True)
            # Only the actor's area: the confirmation page counted the roster the actor sees.
            .filter(within("region__code", actor.area_code if actor is not None else None))
            .select_related("station", "election")
            .order_by("region_id", "station__number", "pk")
        )
        by_island: dict[str, list[Assignment]] = defaultdict(list)
        for assignment in waiting:
            by_island[island_of(assignment)].append(assignment)
        invitations, unplaced = [], 0
        for island, people in by_island.items():
            candidates = [s for s in sessions if s.venue.island == island]
            for assignment in people:
                session = next((s for s in candidates if seats[s.pk] > 0), None)
                if session is None:
                    unplaced += 1
                    continue
                seats[session.pk] -= 1
                invitations.append(Invitation(assignment=assignment, session=session))
        Invitation.objects.bulk_create(invitations, batch_size=1000)
        if invitations:
            record(actor=actor, changes=[Change("inauguration.invite", "elections.election", election.pk, election.name, election.slug, {"diundang": [None, len(invitations)]}, actor.area_code if actor is not None else None)])
    return {"diundang": len(invitations), "tanpa_tempat": unplaced}


def check_in(*, actor: User | None, invitation: Invitation, at=None) -> Invitation:
    """Attendance at the session: the supervisor is sworn in (inaugurated). Twice is refused."""
    if actor is not None:
        require(actor, Perm.MANAGE_SUPERVISORS)
        if actor.area_code is not None and not is_within(invitation.assignment.region_id, actor.area_code):
            raise PermissionDenied("Pengawas ini di luar wilayah Anda.")
    with transaction.atomic(durable=True):
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related("assignment__supervisor", "session__venue").get(pk=invitation.pk)
        if invitation.checked_in_at is not None:
            raise ValidationError(f"{invitation.assignment.supervisor.name} sudah tercatat hadir pada {timezone.localtime(invitation.checked_in_at):%d-%m-%Y %H.%M}.")
        if invitation.assignment.status not in Assignment.ACTIVE:
            raise ValidationError(f"{invitation.assignment.supervisor.name} tidak lagi bertugas ({invitation.assignment.get_status_display().lower()}).")
        invitation.checked_in_at, invitation.checked_in_by = at or timezone.now(), actor
        invitation.save(update_fields=["checked_in_at", "checked_in_by"])
        Assignment.objects.filter(pk=invitation.assignment_id).update(status=Assignment.Status.INAUGURATED)
        record(
            actor=actor,
            changes=[Change("inauguration.check_in", "supervisors.assignment", invitation.assignment_id, invitation.assignment.supervisor.name, invitation.session.venue.election.slug, {"status": [invitation.assignment.status, Assignment.Status.INAUGURATED], "tempat": [None, invitation.session.venue.name]}, invitation.assignment.region_id)],
        )
    return invitation


def islands(election: Election) -> list[str]:
    """Where a venue can be: the mainland, and each sea crossing that reaches the election's TPS."""
    crossings = Station.objects.filter(election=election, access=Station.Access.SEA).exclude(crossing="").values_list("crossing", flat=True).distinct()
    return [MAINLAND, *sorted(set(crossings))]


def add_venue(*, actor: User | None, election: Election, name: str, region: Region, island: str, capacity: int, priority: int = 0, latitude=None, longitude=None) -> Venue:
    """A place where supervisors are sworn in, in the actor's area; its island decides who is
    invited there (`invite`), its priority which venue fills first."""
    if actor is not None:
        require(actor, Perm.MANAGE_SUPERVISORS)
        if actor.area_code is not None and not is_within(region.code, actor.area_code):
            raise PermissionDenied("Tempat ini di luar wilayah Anda.")
    errors = []
    if not name.strip():
        errors.append("Isi nama tempat.")
    if island not in islands(election):
        errors.append(f"Pulau '{island}' tidak dikenal: pilih daratan atau salah satu penyeberangan TPS.")
    if capacity < 1:
        errors.append("Kapasitas paling sedikit 1 orang.")
    if (latitude is None) != (longitude is None):
        errors.append("Isi lintang dan bujur keduanya, atau kosongkan keduanya.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        venue = Venue.objects.create(election=election, name=name.strip(), region=region, island=island, capacity=capacity, priority=priority, latitude=latitude, longitude=longitude)
        record(actor=actor, changes=[Change("inauguration.venue", "supervisors.venue", venue.pk, venue.name, election.slug, {"kapasitas": [None, capacity], "pulau": [None, island]}, region.code)])
    return venue


def add_session(*, actor: User | None, venue: Venue, starts_at) -> Session:
    if actor is not None:
        require(actor, Perm.MANAGE_SUPERVISORS)
        if actor.area_code is not None and not is_within(venue.region_id, actor.area_code):
            raise PermissionDenied("Tempat ini di luar wilayah Anda.")
    try:
        with transaction.atomic(durable=True):
            session = Session.objects.create(venue=venue, starts_at=starts_at)
            record(actor=actor, changes=[Change("inauguration.session", "supervisors.session", session.pk, venue.name, venue.election.slug, {"mulai": [None, starts_at.isoformat()]}, venue.region_id)])
    except IntegrityError:
        raise ValidationError("Jadwal ini sudah ada di tempat tersebut.") from None
    return session

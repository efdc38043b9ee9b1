"""Reads of elections."""

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, Max, Min, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from sinergi.accounts.permissions import Perm, can
from sinergi.elections.landing import Span, landing_election
from sinergi.elections.models import Election
from sinergi.regions.queries import villages_within
from sinergi.stations.models import Station


def all_elections() -> QuerySet[Election]:
    # Elections are public facts: every signed-in user may see the list.
    return Election.objects.all()


def landing_for(user) -> str | None:
    """The slug of the election `user` lands on today (elections/landing.py): in progress, else
    next, else latest, preferring those with TPS in the user's area. One query."""
    if can(user, Perm.VIEW_STATIONS):
        has_data = Exists(Station.objects.filter(villages_within("village__code", user.area_code), election=OuterRef("pk")))
    else:
        has_data = Value(False)
    rows = Election.objects.annotate(
        first_day=Coalesce(Min("stages__starts_on"), "voting_date"), last_day=Coalesce(Max("stages__ends_on"), "voting_date"), has_data=has_data
    ).values_list("slug", "first_day", "last_day", "has_data")
    return landing_election([Span(*row) for row in rows], timezone.localdate())


def election_by_slug(slug: str) -> Election:
    election = Election.objects.filter(slug=slug).first()
    if election is None:
        raise Http404("no such election")
    return election


def local_moment(election: Election, text: str, zone: ZoneInfo | None = None) -> datetime | None:
    """`2024-02-13T12:00` read as a local time (a board's "as of"): in `zone`, the viewer's
    (`Election.zone_for`), else the election's own; None when empty or not a time."""
    try:
        return datetime.fromisoformat(text[:16]).replace(tzinfo=zone or ZoneInfo(election.time_zone)) if text else None
    except ValueError:
        return None


def board_clock(election: Election, last_recorded: Callable[[], datetime | None], zone: ZoneInfo | None = None) -> datetime:
    """The moment a board shows by default, in `zone` (the viewer's), else the election's time
    zone: now; for an election over for more than 30 days (the demo), the last moment anything
    was recorded."""
    tz = zone or ZoneInfo(election.time_zone)
    now = timezone.localtime(timezone.now(), tz)
    if now.date() > election.voting_date + timedelta(days=30):
        last = last_recorded()
        if last is not None:
            return timezone.localtime(last, tz)
    return now

"""Reads of the supervisors' roster, scoped to the user's area."""

from django.db.models import QuerySet

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.elections.models import Election
from sinergi.regions.queries import villages_within, within
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to
from sinergi.supervisors.models import Assignment


def roster_for(user: User, election: Election) -> QuerySet[Assignment]:
    """Every post of the election in the user's area (history included), with its person."""
    require(user, Perm.VIEW_SUPERVISORS)
    return (
        Assignment.objects.filter(within("region__code", user.area_code), election=election)
        .select_related("supervisor", "station__village", "region")
        .order_by("region_id", "station__number", "role", "-started_on", "pk")
    )


def gaps_for(user: User, election: Election) -> QuerySet[Station]:
    """The TPS of the user's area with no active PTPS: recruitment gaps, visible at once."""
    require(user, Perm.VIEW_SUPERVISORS)
    staffed = Assignment.objects.filter(election=election, role=Assignment.Role.PTPS, status__in=Assignment.ACTIVE).values("station_id")
    return stations_visible_to(user, election).filter(villages_within("village__code", user.area_code)).exclude(pk__in=staffed)

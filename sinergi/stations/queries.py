"""Reads of the TPS registry, always scoped to the user's area."""

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from sinergi.accounts.models import User
from sinergi.core import geo
from sinergi.accounts.permissions import Perm, require
from sinergi.elections.models import Election
from sinergi.regions.queries import within
from sinergi.stations.models import Station


def stations_visible_to(user: User, election: Election | None = None) -> QuerySet[Station]:
    """Every TPS `user` may see (of `election`, or of all elections), with village and kecamatan."""
    require(user, Perm.VIEW_STATIONS)
    queryset = Station.objects.filter(within("village__code", user.area_code)).select_related("village__parent", "election")
    if election is not None:
        queryset = queryset.filter(election=election)
    return queryset


def filtered_stations(user: User, election: Election, *, region_code: str = "", search: str = "") -> QuerySet[Station]:
    queryset = stations_visible_to(user, election)
    if region_code:
        queryset = queryset.filter(within("village__code", region_code))
    if search:
        term = search.strip()
        match = Q(place__icontains=term) | Q(village__name__icontains=term)
        if term.isdigit():
            match |= Q(number=int(term))
        queryset = queryset.filter(match)
    return queryset.order_by("village_id", "number")


def station_detail(user: User, election: Election, pk: int) -> Station:
    """The TPS `pk`, or 404 when it does not exist or lies outside the user's area."""
    return get_object_or_404(stations_visible_to(user, election), pk=pk)


def counts_for(user: User, election: Election) -> dict:
    """TPS, voters, villages and islands-by-sea counts for the home page."""
    totals = stations_visible_to(user, election).aggregate(
        stations=Count("id"),
        voters=Sum("voters"),
        villages=Count("village", distinct=True),
        by_sea=Count("id", filter=Q(access=Station.Access.SEA)),
        estimated=Count("id", filter=Q(location_estimated=True)),
    )
    totals["voters"] = totals["voters"] or 0
    return totals


def counts_by_district(user: User, election: Election) -> list[dict]:
    """Per kecamatan: code, name, TPS and voters; in code order."""
    return list(
        stations_visible_to(user, election)
        .values("village__parent_id", "village__parent__name")
        .annotate(stations=Count("id"), voters=Sum("voters"))
        .order_by("village__parent_id")
    )


def point_outside_village(station: Station) -> bool:
    """True when the station has a point and its village has a polygon that does not contain it."""
    geometry = station.village.geometry
    if station.latitude is None or geometry is None:
        return False
    return not geo.contains(geometry, station.latitude, station.longitude)

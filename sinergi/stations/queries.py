"""Reads of the TPS registry, always scoped to the user's area."""

from django.db.models import Count, F, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from sinergi.accounts.models import Agency, PolsekCoverage, User
from sinergi.accounts.permissions import Perm, require
from sinergi.core import geo
from sinergi.elections.models import Election
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import villages_within, within
from sinergi.stations import search
from sinergi.stations.models import KecamatanTally, Station, VillageTally
from sinergi.supervisors.models import Assignment


def is_ptps(user: User) -> bool:
    """A polling-station supervisor: the field role of a village's supervisors (PKD)."""
    return user.role == User.Role.FIELD and user.agency_id is not None and user.agency.kind == Agency.Kind.PKD


def stations_visible_to(user: User, election: Election | None = None) -> QuerySet[Station]:
    """Every TPS `user` may see (of `election`, or of all elections), with village and kecamatan.

    A PTPS watches one TPS: it sees the TPS of its active post only (none without one), not the
    other TPS of its village that its PKD sees."""
    require(user, Perm.VIEW_STATIONS)
    queryset = Station.objects.filter(villages_within("village__code", user.area_code)).select_related("village__parent", "election")
    if is_ptps(user):
        posts = Assignment.objects.filter(supervisor__user=user, role=Assignment.Role.PTPS, status__in=Assignment.ACTIVE)
        queryset = queryset.filter(pk__in=posts.values("station_id"))
    if election is not None:
        queryset = queryset.filter(election=election)
    return queryset


def guarded_kecamatan(user: User) -> list[str]:
    """The kecamatan a Polsek account guards besides its own (accounts.PolsekCoverage, set by the
    Polres), in code order; empty for everyone else and for a Polsek account narrowed to a smaller
    area. Read once per request (kept on the user object)."""
    if user.agency_id is None or user.agency.kind != Agency.Kind.POLSEK or user.area_code != user.agency.region_id:
        return []
    if not hasattr(user, "_guarded_kecamatan"):
        user._guarded_kecamatan = list(PolsekCoverage.objects.filter(polsek_id=user.agency_id).order_by("kecamatan_id").values_list("kecamatan_id", flat=True))
    return user._guarded_kecamatan


def stations_watched_by(user: User, election: Election | None = None) -> QuerySet[Station]:
    """The TPS whose voting day `user` follows (Form A status, incidents: supervisors.coverage):
    `stations_visible_to`, and for a Polsek also the TPS of the kecamatan it guards for another
    (`guarded_kecamatan`), as the guard plan gives them to it. For a Polsek account, one query more
    per request (which kecamatan it guards); none for anyone else."""
    queryset = stations_visible_to(user, election)
    guarded = guarded_kecamatan(user)
    if not guarded:
        return queryset
    area = villages_within("village__code", user.area_code)
    for code in guarded:
        area |= villages_within("village__code", code)
    queryset = Station.objects.filter(area).select_related("village__parent", "election")
    return queryset.filter(election=election) if election is not None else queryset


def filtered_stations(user: User, election: Election, *, region_code: str = "", search: str = "") -> QuerySet[Station]:
    queryset = stations_visible_to(user, election)
    if region_code:
        queryset = queryset.filter(villages_within("village__code", region_code))
    if search.strip():
        queryset = queryset.filter(search_filter(search))
    return queryset.order_by("village_id", "number")


def search_filter(text: str, prefix: str = "") -> Q:
    """What a person typed to find a TPS ("TPS 17 Ped", "17 ped", "TPS 017"; `search.parse`) as a
    filter on Station (`prefix`: the path to the station from another model, e.g. "station__"):
    the number, and every other word in the village's, the kecamatan's or the place's name; or
    the whole text in the place ("SD Negeri 2")."""
    query = search.parse(text)
    whole = Q(**{f"{prefix}place__icontains": text.strip()})
    if query.empty:
        return whole
    match = Q(**{f"{prefix}number": query.number}) if query.number is not None else Q()
    for word in query.words:
        match &= (
            Q(**{f"{prefix}village__name__icontains": word})
            | Q(**{f"{prefix}village__parent__name__icontains": word})
            | Q(**{f"{prefix}place__icontains": word})
        )
    return match | whole


def station_detail(user: User, election: Election, pk: int) -> Station:
    """The TPS `pk`, or 404 when it does not exist or lies outside the user's area."""
    return get_object_or_404(stations_visible_to(user, election), pk=pk)


def _tallies(user: User, election: Election) -> QuerySet[VillageTally] | QuerySet[KecamatanTally] | None:
    """The counted TPS of the user's area, kept by triggers: per kecamatan when the area is a
    kecamatan or wider, else per village (`VillageTally`); None for a PTPS, who sees one TPS and
    not its village's."""
    require(user, Perm.VIEW_STATIONS)
    if is_ptps(user):
        return None
    area = user.area_code
    if area is not None and codes.level_of(area) == codes.VILLAGE:
        return VillageTally.objects.filter(villages_within("village__code", area), election=election, stations__gt=0)
    return KecamatanTally.objects.filter(within("kecamatan__code", area), election=election, stations__gt=0)


def counts_for(user: User, election: Election) -> dict:
    """TPS, voters, TPS reached by sea and TPS with estimated points: summed over the kecamatan
    tallies (7,277 rows for the whole country, not 820,161 TPS)."""
    tallies = _tallies(user, election)
    if tallies is None:
        totals = stations_visible_to(user, election).aggregate(
            stations=Count("id"),
            voters=Sum("voters"),
            by_sea=Count("id", filter=Q(access=Station.Access.SEA)),
            estimated=Count("id", filter=Q(location_estimated=True)),
        )
    else:
        totals = tallies.aggregate(stations=Sum("stations"), voters=Sum("voters"), by_sea=Sum("by_sea"), estimated=Sum("estimated"))
    return {key: value or 0 for key, value in totals.items()}


def counts_by_kecamatan(user: User, election: Election) -> list[dict]:
    """Per kecamatan: code, name, villages with a TPS, TPS and voters; in code order, from the
    tallies (`KecamatanTally`, one row each)."""
    tallies = _tallies(user, election)
    if tallies is None or tallies.model is VillageTally:
        visible = stations_visible_to(user, election) if tallies is None else None
        rows = visible.order_by().values("village_id").annotate(n=Count("id"), p=Sum("voters")) if visible is not None else tallies.values("village_id", n=F("stations"), p=F("voters"))
        per_kecamatan: dict[str, dict] = {}
        for row in rows:
            code = codes.kecamatan_of(row["village_id"])
            entry = per_kecamatan.setdefault(code, {"code": code, "villages": 0, "stations": 0, "voters": 0})
            entry["villages"] += 1
            entry["stations"] += row["n"]
            entry["voters"] += row["p"]
    else:
        rows = tallies.order_by("kecamatan_id").values_list("kecamatan_id", "villages", "stations", "voters")
        per_kecamatan = {code: {"code": code, "villages": v, "stations": n, "voters": p} for code, v, n, p in rows}
    if not per_kecamatan:
        return []
    many = len(per_kecamatan) > 500
    names = dict((Region.objects.filter(within("code", user.area_code), level=codes.KECAMATAN) if many else Region.objects.filter(code__in=list(per_kecamatan))).values_list("code", "name"))
    return [{**per_kecamatan[code], "name": names.get(code, code)} for code in sorted(per_kecamatan)]


def tps_per_village(election: Election, area_code: str) -> dict[str, int]:
    """TPS per village code of the area, villages without TPS left out: the command line's view
    (no user; `sinergi setup-district --election`)."""
    rows = Station.objects.filter(villages_within("village__code", area_code), election=election).order_by().values("village_id").annotate(n=Count("id"))
    return {row["village_id"]: row["n"] for row in rows}


def point_outside_village(station: Station) -> bool:
    """True when the station has a point and its village has a polygon that does not contain it."""
    geometry = station.village.geometry
    if station.latitude is None or geometry is None:
        return False
    return not geo.contains(geometry, station.latitude, station.longitude)


def served_districts(election: Election, within: str | None = None) -> list[str]:
    """The districts (kabupaten/kota codes) holding TPS of the election, within an area if given:
    read from the kecamatan tallies the database keeps (stations.KecamatanTally, 7,277 rows for
    the whole country), not from the TPS (820,161)."""
    if within and codes.level_of(within) >= codes.DISTRICT:
        district = codes.district_of(within)
        return [district] if Station.objects.filter(election=election, village__code__startswith=district + ".").exists() else []
    tallies = KecamatanTally.objects.filter(election=election, stations__gt=0)
    if within:
        tallies = tallies.filter(kecamatan__code__startswith=within + ".")
    return sorted({codes.district_of(code) for code in tallies.values_list("kecamatan_id", flat=True)})

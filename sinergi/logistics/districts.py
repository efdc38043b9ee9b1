"""Which district's (kabupaten/kota) distribution network a command, service or page is about.

Each district of an election has its own network, rules, travel times and plans: its KPU
distributes from its own warehouse to its own TPS. Most deployments hold one district, so a
service called without a district takes the only one the election's TPS lie in; a page takes the
viewer's own district, or the one they chose (`?kabupaten=`) within their area."""

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404

from sinergi.accounts.models import User
from sinergi.elections.models import Election
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.stations.models import Station
from sinergi.stations.queries import served_districts

PARAM = "kabupaten"


def stations_of(election: Election, district: Region):
    """The TPS of the election in `district` (a queryset)."""
    return Station.objects.filter(election=election, village__code__startswith=district.code + ".")


def network_district(election: Election, code: str | None = None) -> Region:
    """The district a service or command is about: the one `code` names, else the only district the
    election's TPS lie in. ValidationError (in Indonesian, naming the choices) otherwise."""
    if code:
        region = Region.objects.filter(code=code, level=codes.DISTRICT).first() if codes.is_valid(code) else None
        if region is None:
            raise ValidationError(f"Kabupaten/kota '{code}' tidak dikenal: tulis kode Kemendagri kabupaten/kota, mis. 51.05.")
        return region
    districts = served_districts(election)
    if len(districts) == 1:
        return Region.objects.get(code=districts[0])
    if not districts:
        raise ValidationError(f"{election.name} belum punya TPS: jaringan distribusi milik kabupaten/kota yang TPS-nya dilayani.")
    names = ", ".join(f"{code} {name}" for code, name in Region.objects.filter(code__in=districts).values_list("code", "name"))
    raise ValidationError(f"{election.name} mencakup beberapa kabupaten/kota; sebutkan salah satu ({names}).")


def viewer_district(user: User, election: Election, requested: str | None = None) -> Region | None:
    """The district a page shows to `user`: the one requested (`?kabupaten=`), which must lie in
    the viewer's area (else 404); the viewer's own district when their area is a district or
    below; the only district with TPS in their area; None when they must choose
    (`choices_for`)."""
    area = user.area_code
    if area is not None and not codes.is_valid(area):
        raise Http404("the viewer has no area")  # an account attached to no agency sees nowhere
    if requested:
        region = Region.objects.filter(code=requested, level=codes.DISTRICT).first() if codes.is_valid(requested) else None
        if region is None or not (area is None or codes.is_within(region.code, area) or codes.is_within(area, region.code)):
            raise Http404("no such district in the viewer's area")
        return region
    if area is not None and codes.level_of(area) >= codes.DISTRICT:
        return Region.objects.filter(code=codes.district_of(area)).first()
    districts = served_districts(election, area)
    return Region.objects.get(code=districts[0]) if len(districts) == 1 else None


def choices_for(user: User, election: Election) -> list[Region]:
    """The districts of the election a viewer above district level may choose from."""
    return list(Region.objects.filter(code__in=served_districts(election, user.area_code)).order_by("code"))


def districts_in(area: str | None, field: str = "district") -> Q:
    """Rows whose district (`field`, a kabupaten/kota code) lies in `area` or holds it (a
    kecamatan or village area's own district); every row when `area` is None."""
    if area is None:
        return Q()
    if codes.level_of(area) >= codes.DISTRICT:
        return Q(**{f"{field}_id": codes.district_of(area)})
    return Q(**{f"{field}__code__startswith": area + "."})


def latest_plans(election: Election, area: str | None) -> list:
    """The latest stored distribution plan of every district in (or holding) `area`: one query."""
    from sinergi.logistics.models import DistributionPlan

    newest = DistributionPlan.objects.filter(election=election, district=OuterRef("district")).order_by("-created_at", "-id").values("pk")[:1]
    return list(DistributionPlan.objects.filter(districts_in(area), election=election, pk=Subquery(newest)).order_by("district_id"))

"""The guard plan in numbers per region, for roll-ups (the province's situation room, the guard
plan page of a province or national viewer): the posts fixed for voting day with their police and
Linmas, the Polsek's personnel, and the shortage summed per Polsek. Counted in SQL, grouped per
Polsek (a few per kecamatan), never per TPS; a fixed number of queries whatever the area."""

from dataclasses import dataclass

from django.db.models import Count, Sum

from sinergi.accounts.models import Agency
from sinergi.elections.models import Election
from sinergi.guard.models import GuardPost, PolsekPersonnel
from sinergi.regions import codes
from sinergi.regions.queries import within


@dataclass
class GuardTotals:
    posts: int = 0  # fixed, not retired
    police: int = 0
    linmas: int = 0
    personnel: int = 0  # available + reinforcements (BKO) of the Polsek
    shortage: int = 0  # per Polsek: need beyond its personnel, summed
    polres: str = ""


def guard_by_region(election: Election, area: str | None, width: int) -> dict[str, GuardTotals]:
    """Region code (the first `width` characters of the Polsek's kecamatan code: 5 for districts)
    -> its totals, over the Polsek of `area` (None: everywhere). A Polsek with spare officers does
    not hide another's shortage. A district whose plan is not fixed yet has no posts (its live plan
    is on the guard plan page)."""
    found: dict[str, GuardTotals] = {}
    needs = (
        GuardPost.objects.filter(within("polsek__region__code", area), election=election, retired_at__isnull=True)
        .order_by()
        .values("polsek_id", "polsek__region_id")
        .annotate(n=Count("id"), police=Sum("police"), linmas=Sum("linmas"))
        .values_list("polsek_id", "polsek__region_id", "n", "police", "linmas")
    )
    staffed = {
        agency: available + bko
        for agency, available, bko in PolsekPersonnel.objects.filter(within("agency__region__code", area), election=election)
        .order_by()
        .values_list("agency_id", "available", "reinforcements")
    }
    regions = dict(Agency.objects.filter(within("region__code", area), kind=Agency.Kind.POLSEK).values_list("pk", "region_id"))
    for polsek, region, n, police, linmas in needs:
        totals = found.setdefault(region[:width], GuardTotals())
        totals.posts, totals.police, totals.linmas = totals.posts + n, totals.police + (police or 0), totals.linmas + (linmas or 0)
        totals.shortage += max(0, (police or 0) - staffed.get(polsek, 0))
    for polsek, personnel in staffed.items():
        if polsek in regions:
            found.setdefault(regions[polsek][:width], GuardTotals()).personnel += personnel
    if width == codes.width_of(codes.DISTRICT):  # districts: each with its Polres
        for code, name in Agency.objects.filter(within("region__code", area), kind=Agency.Kind.POLRES).order_by("-slug").values_list("region_id", "name"):
            found.setdefault(code, GuardTotals()).polres = name
    return found

"""Reads of regions, and the area filter every scoped query uses."""

from django.db.models import Q, QuerySet

from sinergi.regions.models import Region


def within(field: str, area_code: str | None) -> Q:
    """A filter keeping rows whose region code `field` (`code`, or `village__code` across a foreign
    key, which Django reads from the key column itself, with no join) is the
    area or lies below it. `None` means no area limit (national scope)."""
    if area_code is None:
        return Q()
    return Q(**{field: area_code}) | Q(**{f"{field}__startswith": area_code + "."})


def regions_within(area_code: str | None, *, level: int | None = None) -> QuerySet[Region]:
    queryset = Region.objects.filter(within("code", area_code))
    if level is not None:
        queryset = queryset.filter(level=level)
    return queryset


def villages_with_boundaries(area_code: str | None) -> QuerySet[Region]:
    return regions_within(area_code, level=Region.Level.VILLAGE).exclude(boundary="").select_related("parent")

"""Reads of regions, and the area filter every scoped query uses."""

from collections.abc import Iterable
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet

from sinergi.regions import codes, timezones
from sinergi.regions.codes import VILLAGE, is_valid, level_of
from sinergi.regions.models import Region


def within(field: str, area_code: str | None) -> Q:
    """A filter keeping rows whose region code `field` (`code`, or `village__code` across a foreign
    key, which Django reads from the key column itself, with no join) is the
    area or lies below it. `None` means no area limit (national scope)."""
    if area_code is None:
        return Q()
    return Q(**{field: area_code}) | Q(**{f"{field}__startswith": area_code + "."})


def related_to(field: str, area_code: str | None) -> Q:
    """Rows whose region `field` is the area, lies below it, or contains it: what concerns a user
    of the area (a Polsek sees its Polres's formation). `None` means no limit."""
    if area_code is None:
        return Q()
    return within(field, area_code) | Q(**{f"{field}__in": codes.lineage(area_code)[:-1]})


def villages_within(field: str, area_code: str | None) -> Q:
    """A filter on a column holding *village* codes (e.g. `village__code` of a TPS): the villages
    of the area. `None` means no limit.

    Narrower than `within`: a village column equals the area only when the area is a village,
    and otherwise a bare prefix match lets PostgreSQL read just that key range in key order (an
    `= OR LIKE` made it walk the index from the start: docs/benchmarks.md).
    """
    if area_code is None:
        return Q()
    if is_valid(area_code) and level_of(area_code) == VILLAGE:
        return Q(**{field: area_code})
    return Q(**{f"{field}__startswith": area_code + "."})


def regions_within(area_code: str | None, *, level: int | None = None) -> QuerySet[Region]:
    queryset = Region.objects.filter(within("code", area_code))
    if level is not None:
        queryset = queryset.filter(level=level)
    return queryset


def villages_with_boundaries(area_code: str | None) -> QuerySet[Region]:
    return regions_within(area_code, level=Region.Level.VILLAGE).exclude(boundary="").select_related("parent")


def villages_by_code(area_code: str | None, codes: Iterable[str], *, batch: int = 500) -> dict[str, Region]:
    """The villages among `codes` that lie in the area, by code; loaded in batches so that a large
    file's code list stays under SQLite's limit on query parameters."""
    wanted = sorted(set(codes))
    found: dict[str, Region] = {}
    for start in range(0, len(wanted), batch):
        chunk = wanted[start : start + batch]
        for region in regions_within(area_code, level=Region.Level.VILLAGE).filter(code__in=chunk):
            found[region.code] = region
    return found


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_of(region_code: str, default: str) -> ZoneInfo:
    """The local time zone of a region (its province's: regions/timezones.py, overridden by the
    `PROVINCE_TIME_ZONES` setting), `default` (an election's zone) for a code of no known province."""
    return _zone(timezones.zone_name(region_code, settings.PROVINCE_TIME_ZONES, default))


def zone_label(zone: ZoneInfo) -> str:
    """WIB, WITA or WIT; the IANA name for a zone outside Indonesia."""
    return timezones.SHORT.get(zone.key, zone.key)


def province_zones(default: str) -> dict[str, str]:
    """Every province code -> the IANA name of its zone (the setting's overrides applied)."""
    return {province: timezones.zone_name(province, settings.PROVINCE_TIME_ZONES, default) for province in timezones.PROVINCES}


def zones_in_use(default: str) -> set[ZoneInfo]:
    """Every zone a TPS of a deployment may keep: the provinces' and `default` (a code of no known
    province). A voting-day clock that must have started, or ended, everywhere looks at all of them."""
    return {_zone(name) for name in {*province_zones(default).values(), default}}

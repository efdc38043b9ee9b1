"""The clock a page is read in: `{% timezone election|local_zone:request.user %}` and its name
`{{ election|zone_short:request.user }}` (WIB, WITA or WIT), the viewer's province's zone
(`Election.zone_for`); `election|zone_at_code:code` for a page about one TPS or region."""

from zoneinfo import ZoneInfo

from django import template

from sinergi.regions.queries import zone_label

register = template.Library()


@register.filter
def local_zone(election, user) -> ZoneInfo:
    return election.zone_for(getattr(user, "area_code", None))


@register.filter
def zone_short(election, user) -> str:
    return zone_label(local_zone(election, user))


@register.filter
def zone_at_code(election, code: str) -> ZoneInfo:
    return election.zone_at(code or "")


@register.filter
def zone_name(zone: ZoneInfo) -> str:
    return zone_label(zone)

"""The drill-down of the situation room: `?wilayah=CODE` narrows a page to one province, district
(kabupaten/kota) or kecamatan **inside the viewer's area**, never wider.

The narrowed viewer is a copy of the user whose area is that region (`User.narrowed_to`): every
scoped read follows `user.area_code`, so the room, its fragments, cards and layers show exactly the
district's or kecamatan's share with the viewer's own permissions. A code outside the area, of a
village, malformed or unknown answers 404 (a province user of 51 asking for 52.01 learns nothing).
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from sinergi.accounts.models import User
from sinergi.core.params import text_param
from sinergi.regions import codes
from sinergi.regions.models import Region

PARAM = "wilayah"
# The levels a drill-down stops at: a province (for a national viewer), a district, a kecamatan.
LEVELS = (codes.PROVINCE, codes.DISTRICT, codes.KECAMATAN)


@dataclass(frozen=True)
class Crumb:
    code: str  # "" for the viewer's own area (the page without ?wilayah=)
    name: str


def child_level(area_code: str | None) -> int | None:
    """The level a roll-up of `area_code` is grouped by: provinces for the whole country, districts
    for a province, kecamatan for a district; None below (a kecamatan has no roll-up)."""
    if area_code is None:
        return codes.PROVINCE
    level = codes.level_of(area_code) if codes.is_valid(area_code) else None
    return level + 1 if level in (codes.PROVINCE, codes.DISTRICT) else None


def is_wide(area_code: str | None) -> bool:
    """Wider than a district (the whole country or a province): such a viewer's room is the
    roll-up per district, not the district room over every TPS."""
    return child_level(area_code) in (codes.PROVINCE, codes.DISTRICT)


def narrowed(request) -> tuple[User, Region | None]:
    """The viewer of this request (`request.user`, or its copy narrowed to `?wilayah=`), and the
    region narrowed to (None without the parameter)."""
    user = request.user
    code = text_param(request, PARAM)
    if not code:
        return user, None
    if not codes.is_valid(code) or codes.level_of(code) not in LEVELS:
        raise Http404("not a province, district or kecamatan code")
    area = user.area_code
    if area is not None and not codes.is_within(code, area):
        raise Http404("outside the viewer's area")
    if code == area:
        return user, None
    region = Region.objects.filter(code=code).only("code", "name", "kind", "level").first()
    if region is None:
        raise Http404("no such region")
    return user.narrowed_to(region), region


def crumbs(user: User, region: Region | None) -> list[Crumb]:
    """The way back up from `region` to the viewer's own area (its first crumb, code ""), highest
    first; each a page the viewer may open. Empty when not narrowed."""
    if region is None:
        return []
    own = user.area_code
    above = [code for code in codes.lineage(region.code)[:-1] if own is None or (codes.is_within(code, own) and code != own)]
    names = dict(Region.objects.filter(code__in=above).values_list("code", "name"))
    return [Crumb("", own_area_name(user))] + [Crumb(code, names.get(code, code)) for code in above]


def own_area_name(user: User) -> str:
    if user.area_code is None:
        return _("Seluruh Indonesia")
    return Region.objects.filter(code=user.area_code).values_list("name", flat=True).first() or user.area_code

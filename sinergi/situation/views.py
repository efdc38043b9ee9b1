"""The situation room page, its live fragment (htmx, every 30 s) and its map layers."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import conditional_page, require_GET

from sinergi.accounts.permissions import Perm, require
from sinergi.core.alerts import Alert
from sinergi.core.params import text_param
from sinergi.elections.queries import all_elections, election_by_slug, landing_for, local_moment
from sinergi.situation import drilldown, layers, sources
from sinergi.situation.queries import clock, guard_for, situation_for
from sinergi.situation.rollup import rollup_for

ALERTS_SHOWN = 50  # in the room; the rest on the full list
ALERTS_PER_PAGE = 100  # on the full list


@login_required
@require_GET
def newest(request):
    """`/situasi/`: the situation room of the election picked in the header (?pemilihan=), else of
    the one the home page lands on (in progress, next or latest, with TPS in the user's area)."""
    require(request.user, Perm.VIEW_SITUATION)
    chosen = text_param(request, "pemilihan")
    slug = (all_elections().filter(slug=chosen).values_list("slug", flat=True).first() if chosen else None) or landing_for(request.user)
    if slug is None:
        raise Http404("no election")
    return redirect("situation:room", slug=slug)


def _context(request, slug, viewer) -> dict:
    election = election_by_slug(slug)
    as_of = local_moment(election, request.GET.get("pada", ""), election.zone_for(request.user.area_code))
    if request.GET.get("pada") and as_of is None:
        messages.error(request, _("Waktu tidak dikenal: gunakan bentuk 2024-02-13T12:00."))
    situation = situation_for(viewer, election, as_of)
    return {
        "election": election,
        "situation": situation,
        "alerts": situation.alerts[:ALERTS_SHOWN],
        "alerts_hidden": max(0, len(situation.alerts) - ALERTS_SHOWN),
        "danger": sum(1 for a in situation.alerts if a.level == "danger"),
        "query": request.GET.urlencode(),
    }


def _rollup_context(request, slug, viewer) -> dict:
    election = election_by_slug(slug)
    pada = text_param(request, "pada")
    now = clock(election, local_moment(election, pada, election.zone_for(request.user.area_code)))
    # Each row's link keeps the moment shown (?pada=) beside its ?wilayah=.
    return {"election": election, "rollup": rollup_for(viewer, election, now), "as_of": now, "keep": f"&{urlencode({'pada': pada})}" if pada else ""}


def _district_room(request):
    """The viewer of a district room's fragment (alerts, map layer, guard, deadlines): a province or
    national viewer has the roll-up instead, and a fragment over every TPS of its area is refused
    (404) rather than computed (a national alert list read every TPS of the country)."""
    viewer, region = drilldown.narrowed(request)
    if drilldown.is_wide(viewer.area_code):
        raise Http404("a province or national room is the roll-up: open a district (?wilayah=)")
    return viewer, region


@login_required
@require_GET
def room(request, slug):
    """The room of the viewer's area, or of the province, district or kecamatan of `?wilayah=`
    inside it (drilldown.py). Wider than a district (a province or national viewer), it is the
    roll-up per district (per province for the whole country), each row opening its own room."""
    require(request.user, Perm.VIEW_SITUATION)
    viewer, region = drilldown.narrowed(request)
    crumbs = drilldown.crumbs(request.user, region)
    if drilldown.is_wide(viewer.area_code):
        context = _rollup_context(request, slug, viewer)
        context.update(crumbs=crumbs, region=region, area_name=region.name if region else drilldown.own_area_name(viewer))
        return render(request, "situation/rollup.html", context)
    context = _context(request, slug, viewer)
    offered = layers.layers_offered(viewer)
    kinds = [kind for kind, _label in offered]
    context.update(
        crumbs=crumbs,
        region=region,
        # A district's room lists its kecamatan (the `rekap/` card) to drill down to.
        per_kecamatan=drilldown.child_level(viewer.area_code) is not None,
        layers=offered,
        default_layer=next((kind for kind in layers.DEFAULT_ORDER if kind in kinds), "tps"),
        map_tile_url=settings.MAP_TILE_URL,
        map_tile_attribution=settings.MAP_TILE_ATTRIBUTION,
    )
    return render(request, "situation/room.html", context)


@login_required
@require_GET
def live(request, slug):
    """The counts, alerts and timeline alone: what the page swaps in every 30 seconds. Wider than
    a district, the room is the roll-up: its fragment is the roll-up table (`rollup`), not the
    district room's counts over every TPS of a province or of the country."""
    viewer, _region = drilldown.narrowed(request)
    if drilldown.is_wide(viewer.area_code):
        require(request.user, Perm.VIEW_SITUATION)
        return render(request, "situation/rollup_card.html", _rollup_context(request, slug, viewer))
    return render(request, "situation/live.html", _context(request, slug, viewer))


@login_required
@require_GET
def rollup(request, slug):
    """The roll-up table of the viewer's area one level down (a district's kecamatan on its room),
    loaded after the page and every five minutes."""
    require(request.user, Perm.VIEW_SITUATION)
    viewer, _region = drilldown.narrowed(request)
    return render(request, "situation/rollup_card.html", _rollup_context(request, slug, viewer))


@login_required
@require_GET
def alert_list(request, slug):
    """Every alert of the room, the live ones and the deadlines, scoped as the room (`?pada=` too),
    in the room's order, optionally of one level, a page at a time: what "and N more" opens."""
    require(request.user, Perm.VIEW_SITUATION)
    viewer, _region = _district_room(request)
    election = election_by_slug(slug)
    now = clock(election, local_moment(election, request.GET.get("pada", ""), election.zone_for(request.user.area_code)))
    alerts, failed = sources.every_alert(viewer, election, now)
    levels = {level: sum(1 for a in alerts if a.level == level) for level in Alert.LEVELS}
    level = text_param(request, "tingkat")
    if level in levels:
        alerts = [a for a in alerts if a.level == level]
    else:
        level = ""
    room_query = request.GET.copy()
    for key in ("tingkat", "page"):
        room_query.pop(key, None)
    context = {
        "election": election,
        "as_of": now,
        "page": Paginator(alerts, ALERTS_PER_PAGE).get_page(request.GET.get("page")),
        "levels": levels,
        "level": level,
        "failed": failed,
        "query": request.GET.copy(),
        "room_query": room_query.urlencode(),
    }
    return render(request, "situation/alerts.html", context)


# A phone keeps the room open all day: the layer is sent compressed (GeoJSON of hundreds of TPS
# shrinks about tenfold; a JSON body holds no secret for BREACH to guess), with an ETag, and an
# unchanged layer answers 304 to the map's If-None-Match (the map then keeps its markers as they are).
@gzip_page
@conditional_page
@login_required
@require_GET
def layer(request, slug, kind):
    """One map layer as GeoJSON: 404 for an unknown layer, 403 for one the viewer may not see."""
    require(request.user, Perm.VIEW_SITUATION)
    if kind not in layers.LAYERS:
        raise Http404("no such layer")
    require(request.user, layers.LAYERS[kind][1])
    viewer, _region = _district_room(request)
    election = election_by_slug(slug)
    now = clock(election, local_moment(election, request.GET.get("pada", ""), election.zone_for(request.user.area_code)))
    response = HttpResponse(layers.layer_geojson(viewer, election, kind, now), content_type="application/geo+json")
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def guard(request, slug):
    """The guard plan's numbers (the page loads them after itself and every five minutes)."""
    require(request.user, Perm.VIEW_SITUATION)
    require(request.user, Perm.VIEW_GUARD_PLAN)
    viewer, _region = _district_room(request)
    election = election_by_slug(slug)
    return render(request, "situation/guard.html", {"election": election, "guard": guard_for(viewer, election), "query": request.GET.urlencode()})


@login_required
@require_GET
def deadlines(request, slug):
    """Open cases and action items with their overdue and nearly due deadlines (the page loads
    them after itself and every five minutes: they are counted in days)."""
    require(request.user, Perm.VIEW_SITUATION)
    viewer, _region = _district_room(request)
    election = election_by_slug(slug)
    now = clock(election, local_moment(election, request.GET.get("pada", ""), election.zone_for(request.user.area_code)))
    counts, alerts, failed = sources.gather_deadlines(viewer, election, now)
    context = {
        "election": election,
        "counts": counts,
        "alerts": alerts[:ALERTS_SHOWN],
        "alerts_hidden": max(0, len(alerts) - ALERTS_SHOWN),
        "failed": failed,
        "query": request.GET.urlencode(),
    }
    return render(request, "situation/deadlines.html", context)

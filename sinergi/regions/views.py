import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from sinergi.accounts.permissions import Perm, require
from sinergi.core.params import text_param
from sinergi.regions import codes
from sinergi.regions.queries import villages_with_boundaries


@login_required
@require_GET
def village_boundaries(request):
    """Village polygons of the user's area as a GeoJSON FeatureCollection: the map's base layer.

    Built as text from the stored geometries, which are already GeoJSON, so nothing is parsed.
    `?wilayah=CODE` narrows it to a region inside the user's area (the situation room's drill-down,
    situation/drilldown.py); outside it, 404.
    """
    require(request.user, Perm.VIEW_STATIONS)
    area = request.user.area_code
    wanted = text_param(request, "wilayah")
    if wanted:
        if not codes.is_valid(wanted) or (area is not None and not codes.is_within(wanted, area)):
            raise Http404("outside the user's area")
        area = wanted
    features = []
    for village in villages_with_boundaries(area):
        properties = json.dumps({"code": village.code, "name": village.name, "kind": village.get_kind_display(), "kecamatan": village.parent.name})
        features.append(f'{{"type":"Feature","properties":{properties},"geometry":{village.boundary}}}')
    body = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=3600"
    return response

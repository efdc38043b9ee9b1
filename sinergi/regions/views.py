import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from sinergi.accounts.permissions import Perm, require
from sinergi.regions.queries import villages_with_boundaries


@login_required
@require_GET
def village_boundaries(request):
    """Village polygons of the user's area as a GeoJSON FeatureCollection: the map's base layer.

    Built as text from the stored geometries, which are already GeoJSON, so nothing is parsed.
    """
    require(request.user, Perm.VIEW_STATIONS)
    features = []
    for village in villages_with_boundaries(request.user.area_code):
        properties = json.dumps({"code": village.code, "name": village.name, "kind": village.get_kind_display(), "kecamatan": village.parent.name})
        features.append(f'{{"type":"Feature","properties":{properties},"geometry":{village.boundary}}}')
    body = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=3600"
    return response

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sinergi.accounts.permissions import Perm, require
from sinergi.core import pending
from sinergi.core.params import text_param
from sinergi.elections.queries import election_by_slug
from sinergi.regions.codes import is_within
from sinergi.regions.models import Region
from sinergi.regions.queries import regions_within
from sinergi.stations import queries
from sinergi.stations.exports import csv_download, xlsx_download
from sinergi.stations.forms import StationImportForm
from sinergi.stations.profile import profile_for
from sinergi.stations.services import import_stations_file

PAGE_SIZE = 50


@login_required
@require_GET
def station_list(request, slug):
    election = election_by_slug(slug)
    kecamatan = text_param(request, "kecamatan")
    village = text_param(request, "desa")
    if kecamatan and not village.startswith(kecamatan + "."):
        village = ""  # a village left over from another kecamatan
    search = text_param(request, "q")
    stations = queries.filtered_stations(request.user, election, region_code=village or kecamatan, search=search)
    page = Paginator(stations, PAGE_SIZE).get_page(request.GET.get("page"))
    area = request.user.area_code
    context = {
        "election": election,
        "page": page,
        "kecamatans": regions_within(area, level=Region.Level.KECAMATAN),
        "villages": regions_within(kecamatan, level=Region.Level.VILLAGE) if kecamatan and (area is None or is_within(kecamatan, area)) else [],
        "filters": {"kecamatan": kecamatan, "desa": village, "q": search},
        "query": request.GET.copy(),
    }
    # htmx swaps the filters and the table together, so the village list follows the kecamatan.
    # A history restore needs the whole page.
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    response = render(request, "stations/_browser.html" if partial else "stations/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def station_detail(request, slug, pk):
    election = election_by_slug(slug)
    station = queries.station_detail(request.user, election, pk)
    context = {"election": election, "station": station, "outside_village": queries.point_outside_village(station), "profile": profile_for(request.user, election, station)}
    return render(request, "stations/detail.html", context)


@login_required
@require_GET
def station_map(request, slug):
    election = election_by_slug(slug)
    require(request.user, Perm.VIEW_STATIONS)
    context = {"election": election, "map_tile_url": settings.MAP_TILE_URL, "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION}
    return render(request, "stations/map.html", context)


@login_required
@require_GET
def station_points(request, slug):
    """The visible TPS as compact JSON for the map's markers."""
    election = election_by_slug(slug)
    stations = queries.stations_visible_to(request.user, election).order_by("village_id", "number")
    points = [
        {
            "id": s.pk,
            "label": str(s),
            "place": s.place,
            "lat": s.latitude,
            "lon": s.longitude,
            "voters": s.voters,
            "estimated": s.location_estimated,
            "url": reverse("stations:detail", args=[slug, s.pk]),
        }
        for s in stations
        if s.latitude is not None
    ]
    return JsonResponse({"stations": points})


@login_required
def station_import(request, slug):
    election = election_by_slug(slug)
    require(request.user, Perm.IMPORT_STATIONS)
    # Two steps (core/confirm.py): the upload is checked and previewed with its counts, nothing
    # written; the confirmation imports the very file previewed (core/pending.py).
    form = pending.upload_form(request, StationImportForm)
    step = pending.import_in_two_steps(
        request, kind="tps", form=form,
        run=lambda filename, content, dry_run: import_stations_file(actor=request.user, election=election, filename=filename, content=content, dry_run=dry_run),
    )  # fmt: skip
    if step.result is not None:
        messages.success(request, _("Impor selesai: %(summary)s") % {"summary": step.result.summary()})
        if not step.result.warnings:
            return redirect("stations:list", slug=slug)
    status = 400 if step.errors else 200
    context = {"election": election, "form": form, "errors": step.errors, "result": step.result, "preview": step.preview, "token": step.token}
    return render(request, "stations/import.html", context, status=status)


@login_required
@require_GET
def station_export(request, slug, fmt):
    election = election_by_slug(slug)
    require(request.user, Perm.EXPORT_STATIONS)
    stations = queries.stations_visible_to(request.user, election).order_by("village_id", "number")
    filename = f"tps-{election.slug}.{fmt}"
    return xlsx_download(filename, stations) if fmt == "xlsx" else csv_download(filename, stations)

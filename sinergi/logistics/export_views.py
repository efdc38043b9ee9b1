"""The requirements' downloads, streamed: CSV as the TPS are read, Excel from a temporary file
(`core/streaming.py`); the PDF recap as before."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from sinergi.core.streaming import csv_response, xlsx_response
from sinergi.elections.queries import election_by_slug
from sinergi.logistics.district_totals import requirements_by_region
from sinergi.logistics.documents import requirements_pdf
from sinergi.logistics.exports import CSV_COLUMNS, csv_rows, xlsx_sheets
from sinergi.logistics.requirement_queries import area_names, items_of, requirement_totals, station_rows


@login_required
@require_GET
def requirements_download(request, slug, fmt):
    election = election_by_slug(slug)
    filename = f"kebutuhan-logistik-{election.slug}.{fmt}"
    if fmt == "pdf":
        response = HttpResponse(requirements_pdf(request.user, election), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    stations = station_rows(request.user, election)
    if fmt == "csv":
        return csv_response(filename, CSV_COLUMNS, csv_rows(items_of(election), election.ballot_reserve_percent, stations))
    totals = requirement_totals(request.user, election)
    regions = requirements_by_region(request.user, election)  # a province or national viewer: a row per region below
    return xlsx_response(filename, xlsx_sheets(totals, election.ballot_reserve_percent, stations, area_names(request.user), regions))

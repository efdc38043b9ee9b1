"""The district a logistics page is about (`?kabupaten=`), for the distribution plan and the
network pages: the viewer's own district, the one they chose within their area, or a page to
choose one (a province or national viewer over several districts)."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from sinergi.logistics.districts import PARAM, choices_for, viewer_district
from sinergi.regions.models import Region


def requested(request) -> str | None:
    return request.GET.get(PARAM) or request.POST.get(PARAM) or None


def page_district(request, election) -> Region | None:
    """The district the page shows (404 for one outside the viewer's area), None to choose."""
    return viewer_district(request.user, election, requested(request))


def choose(request, election, title: str) -> HttpResponse:
    """The districts of the election in the viewer's area, each a link to this page for it."""
    context = {"election": election, "title": title, "choices": choices_for(request.user, election), "path": request.path, "param": PARAM}
    return render(request, "logistics/choose_district.html", context)


def query(district: Region) -> str:
    return f"?{PARAM}={district.code}"


def context_of(request, election, district: Region) -> dict:
    """What every page about one district's logistics shows of it: its name, the query that keeps
    it in links, and the other districts the viewer may switch to."""
    others = choices_for(request.user, election) if request.user.area_code is None or len(request.user.area_code) < len(district.code) else []
    return {"district": district, "kabupaten": query(district), "district_choices": others if len(others) > 1 else []}


def back_to(url_name: str, election, district: Region):
    return redirect(reverse(url_name, args=[election.slug]) + query(district))

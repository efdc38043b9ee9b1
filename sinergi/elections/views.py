from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from sinergi.core.params import text_param
from sinergi.elections.queries import all_elections, election_by_slug
from sinergi.stations.queries import counts_by_district, counts_for


@login_required
def home(request):
    """The newest election's overview; the selector in the header switches elections."""
    chosen = text_param(request, "pemilihan")
    election = all_elections().filter(slug=chosen).first() if chosen else None
    election = election or all_elections().first()
    if election is None:
        return render(request, "elections/empty.html")
    return redirect("elections:overview", slug=election.slug)


@login_required
def overview(request, slug):
    election = election_by_slug(slug)
    counts = counts_for(request.user, election)
    districts = counts_by_district(request.user, election)
    # Villages with a TPS, from the per-village grouping (a COUNT(DISTINCT) costs ~200 ms nationally).
    counts["villages"] = sum(district["villages"] for district in districts)
    context = {
        "election": election,
        "counts": counts,
        "districts": districts,
        "stages": election.stages.all(),
        "ballot_types": election.ballot_types.all(),
    }
    return render(request, "elections/overview.html", context)

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from sinergi.accounts.models import User
from sinergi.core.params import text_param
from sinergi.elections.queries import all_elections, election_by_slug, landing_for
from sinergi.stations.queries import counts_by_district, counts_for
from sinergi.supervisors.queries import active_ptps_post


@login_required
def home(request):
    """The overview of the election chosen in the header's selector, else the field app for a PTPS
    with an active post, else the overview of the election in progress (or next, or latest) with TPS
    in the user's area (`queries.landing_for`)."""
    chosen = text_param(request, "pemilihan")
    if not chosen and request.user.role == User.Role.FIELD and active_ptps_post(request.user) is not None:
        return redirect("supervisors:field_app")  # a PTPS's work is the field app, not the overview
    slug = all_elections().filter(slug=chosen).values_list("slug", flat=True).first() if chosen else None
    slug = slug or landing_for(request.user)
    if slug is None:
        return render(request, "elections/empty.html")
    return redirect("elections:overview", slug=slug)


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

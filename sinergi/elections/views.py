from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.core.params import text_param
from sinergi.elections.forms import StageDatesForm
from sinergi.elections.queries import all_elections, election_by_slug, landing_for
from sinergi.elections.services import set_stage_dates
from sinergi.stations.queries import counts_by_kecamatan, counts_for
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
    if not chosen and request.user.role == User.Role.FIELD and can(request.user, Perm.CHECK_IN_POSTS):
        return redirect("guard:field_app", slug=slug)  # a police officer's field work: the post check-in
    return redirect("elections:overview", slug=slug)


@login_required
def overview(request, slug):
    election = election_by_slug(slug)
    counts = counts_for(request.user, election)
    kecamatans = counts_by_kecamatan(request.user, election)
    # Villages with a TPS, from the per-village grouping (a COUNT(DISTINCT) costs ~200 ms nationally).
    counts["villages"] = sum(kecamatan["villages"] for kecamatan in kecamatans)
    context = {
        "election": election,
        "counts": counts,
        "kecamatans": kecamatans,
        "stages": election.stages.all(),
        "ballot_types": election.ballot_types.all(),
    }
    return render(request, "elections/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def stage_dates(request, slug):
    """The deployment administrator's page for the election's calendar (`Perm.MANAGE_ELECTIONS`):
    every stage's start and end, local dates in the election's time zone, saved together through
    `services.set_stage_dates` (checked whole, audited)."""
    require(request.user, Perm.MANAGE_ELECTIONS)
    election = election_by_slug(slug)
    stages = election.stages.order_by("order", "pk")
    form = StageDatesForm(request.POST if request.method == "POST" else None, stages=stages)
    if form.is_bound and form.is_valid():
        try:
            changed = set_stage_dates(actor=request.user, election=election, dates=form.dates())
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Tanggal tahapan disimpan (%(n)s berubah).") % {"n": changed})
            return redirect("elections:overview", slug=slug)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "elections/stage_dates.html", {"election": election, "form": form}, status=status)

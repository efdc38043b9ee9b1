from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sinergi.accounts.models import Agency
from sinergi.accounts.permissions import Perm, can, require
from sinergi.elections.queries import election_by_slug
from sinergi.guard.documents import plan_pdf
from sinergi.guard.exports import LEVEL_NAMES, plan_csv, plan_xlsx
from sinergi.guard.forms import FormationForm, PersonnelForm
from sinergi.guard.models import Formation
from sinergi.guard.presets import FORMATIONS
from sinergi.guard.queries import plan_for
from sinergi.guard.services import install_formation_preset, set_formation, set_personnel
from sinergi.regions.queries import related_to, within


@login_required
def plan_page(request, slug):
    election = election_by_slug(slug)
    guard = plan_for(request.user, election)
    polseks = Agency.objects.filter(within("region__code", request.user.area_code), kind=Agency.Kind.POLSEK).order_by("region_id")
    form = formation_form = None
    if can(request.user, Perm.MANAGE_GUARD):
        polres = Agency.objects.filter(kind=Agency.Kind.POLRES, region_id=request.user.area_code).first()
        current = Formation.objects.filter(election=election, agency=polres).prefetch_related("rules").first() if polres else None
        initial_rules = {r.level: (r.police, r.stations, r.linmas) for r in current.rules.all()} if current else {}
        posted = request.POST if request.method == "POST" else None
        formation_form = FormationForm(posted if posted and "save_formation" in posted else None, presets=FORMATIONS, initial_rules=initial_rules)
        if polres is not None and formation_form.is_bound and formation_form.is_valid():
            preset = formation_form.cleaned_data["preset"]
            if preset:
                install_formation_preset(actor=request.user, election=election, polres=polres, preset=preset)
            else:
                name = f"{polres.name}, {election.name}"
                set_formation(
                    actor=request.user,
                    election=election,
                    polres=polres,
                    name=name,
                    source=_("Ditetapkan %(polres)s") % {"polres": polres.name},
                    rules=formation_form.rules(),
                )
            messages.success(request, _("Formasi disimpan."))
            return redirect("guard:plan", slug=slug)
        form = PersonnelForm(posted if posted and "save_personnel" in posted else None, polseks=polseks)
        if form.is_bound and form.is_valid():
            polsek = polseks.get(slug=form.cleaned_data["polsek"])
            set_personnel(
                actor=request.user,
                election=election,
                polsek=polsek,
                available=form.cleaned_data["available"],
                reinforcements=form.cleaned_data["reinforcements"],
            )
            messages.success(request, _("Personel %(polsek)s disimpan.") % {"polsek": polsek.name})
            return redirect("guard:plan", slug=slug)
    else:
        require(request.user, Perm.VIEW_GUARD_PLAN)
    chosen = request.GET.get("kecamatan", "")
    posts = [p for p in guard.plan.posts if not chosen or p.district_code == chosen]
    context = {
        "election": election,
        "guard": guard,
        "totals": [(t, guard.district_names.get(t.district_code, t.district_code)) for t in guard.plan.districts],
        "posts": [(p, LEVEL_NAMES.get(p.level, p.level), [guard.stations[sid] for sid in p.station_ids]) for p in posts],
        "chosen": chosen,
        "form": form,
        "formation_form": formation_form,
        "formations": Formation.objects.filter(related_to("agency__region__code", request.user.area_code), election=election).prefetch_related("rules"),
    }
    return render(request, "guard/plan.html", context)


@login_required
@require_GET
def plan_download(request, slug, fmt):
    election = election_by_slug(slug)
    if fmt == "pdf":
        response = HttpResponse(plan_pdf(request.user, election, request.GET.get("kecamatan", "")[:13]), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="rencana-pengamanan-{election.slug}.pdf"'
        return response
    guard = plan_for(request.user, election)
    if fmt == "csv":
        response = HttpResponse(plan_csv(guard), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(plan_xlsx(guard), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="rencana-pengamanan-{election.slug}.{fmt}"'
    return response


@login_required
@require_GET
def map_layer(request, slug):
    """Per visible TPS: its post number and the post's class (for the map's posts layer)."""
    guard = plan_for(request.user, election_by_slug(slug))
    return JsonResponse({str(sid): {"post": post.number, "level": post.level} for post in guard.plan.posts for sid in post.station_ids})

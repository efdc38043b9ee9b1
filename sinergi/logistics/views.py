from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sinergi.accounts.permissions import Perm, can, require
from sinergi.core import pending
from sinergi.core.confirm import ask, is_confirmed
from sinergi.core.jobs import unfinished_jobs
from sinergi.core.tabular import read_table
from sinergi.elections.queries import election_by_slug
from sinergi.logistics import district_views, exports
from sinergi.logistics.district_totals import requirements_by_region
from sinergi.logistics.districts import latest_plans
from sinergi.logistics.forms import ClosureForm, ReplanForm, ReserveForm, TravelTimeForm
from sinergi.logistics.models import Crossing, CrossingClosure, TravelTime
from sinergi.logistics.network import may_edit_network
from sinergi.logistics.plans import (
    TRAVEL_COLUMNS,
    VisiblePlan,
    close_crossing,
    import_travel_times,
    plan_for,
    reopen_crossing,
    sees_whole_district,
)
from sinergi.logistics.requirement_queries import requirements_for
from sinergi.logistics.services import set_reserve
from sinergi.logistics.stored_plan import Convoy, changes_between, read_plan
from sinergi.logistics.tasks import queue_replan
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import zone_label
from sinergi.situation import drilldown
from sinergi.stations.queries import stations_visible_to


@login_required
def requirements_page(request, slug):
    """What the TPS of the user's area need, per kecamatan and village; KPU sets the reserves."""
    election = election_by_slug(slug)
    require(request.user, Perm.VIEW_LOGISTICS)
    # `?wilayah=` narrows to a region of the viewer's area; wider than a district (a province or
    # the whole country) the page is one row per district (province), summed by the database
    # (district_totals.py), each row opening its region.
    viewer, region = drilldown.narrowed(request)
    wide = requirements_by_region(viewer, election)
    if wide is not None:
        if request.method == "POST":  # the reserve form is a district KPU's: nothing to save here
            require(request.user, Perm.MANAGE_LOGISTICS)
        context = {"election": election, "wide": wide, "crumbs": drilldown.crumbs(request.user, region), "region": region}
        context["area_name"] = region.name if region else drilldown.own_area_name(viewer)
        context["summary"] = [(i, wide.result.total.items[i.code], wide.result.reserves.get(i.code, 0), wide.result.grand_total(i.code)) for i in wide.result.items]
        return render(request, "logistics/requirements_regions.html", context)
    district = Region.objects.filter(code=request.user.area_code, level=codes.DISTRICT).first()
    form = None
    if can(request.user, Perm.MANAGE_LOGISTICS) and district is not None:
        result = requirements_for(request.user, election)
        form = ReserveForm(request.POST or None, items=result.items)
        if request.method == "POST" and form.is_valid():
            try:
                set_reserve(actor=request.user, election=election, region=district, item_code=form.cleaned_data["item"], quantity=form.cleaned_data["quantity"])
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                messages.success(request, _("Cadangan disimpan."))
                return redirect("logistics:requirements", slug=slug)
    elif request.method == "POST":
        require(request.user, Perm.MANAGE_LOGISTICS)
    result = requirements_for(viewer, election)
    names = dict(Region.objects.filter(code__in=list(result.by_kecamatan) + list(result.by_village)).values_list("code", "name"))
    items = result.items
    kecamatan = [
        {
            "code": code,
            "name": names.get(code, code),
            "totals": totals,
            "counts": [totals.items[i.code] for i in items],
            "villages": [
                (names.get(v, v), t, [t.items[i.code] for i in items]) for v, t in result.by_village.items() if codes.kecamatan_of(v) == code
            ],
        }
        for code, totals in result.by_kecamatan.items()
    ]
    context = {
        "election": election,
        "result": result,
        "summary": [(i, result.total.items[i.code], result.reserves.get(i.code, 0), result.grand_total(i.code)) for i in items],
        "kecamatan": kecamatan,
        "form": form,
        "district": district,
        "crumbs": drilldown.crumbs(request.user, region),
        "region": region,
    }
    return render(request, "logistics/requirements.html", context, status=400 if form is not None and form.errors else 200)


def _convoy_rows(visible: VisiblePlan) -> list[dict]:
    """The viewer's convoys by day for the page (cut to the viewer's area by `plan_for`), each
    with its stops and the numbers of the viewer's TPS handed over at each."""
    days: dict[date, list[Convoy]] = {}
    for convoy in visible.convoys:
        days.setdefault(convoy.day, []).append(convoy)
    return [
        {
            "day": day,
            "convoys": [{"convoy": c, "stops": [(stop, sorted(visible.stations[sid][0] for sid in stop.station_ids)) for stop in c.stops]} for c in convoys],
            "vehicles": sum(1 for c in convoys if c.kind != "perahu"),
            "kits": sum(c.kits for c in convoys if c.hands_over),
        }
        for day, convoys in sorted(days.items())
    ]


@login_required
def distribution_page(request, slug):
    """The latest distribution plan; KPU closes a crossing, re-opens it, and re-plans."""
    election = election_by_slug(slug)
    require(request.user, Perm.VIEW_LOGISTICS)
    district = district_views.page_district(request, election)
    if district is None:
        return district_views.choose(request, election, _("Rencana distribusi logistik"))
    crossings = list(Crossing.objects.filter(election=election, district=district))
    may_manage = can(request.user, Perm.MANAGE_LOGISTICS)
    replan_form = ReplanForm(request.POST if "replan" in request.POST else None)
    pending.cancel(request, "waktu-tempuh")
    travel_posted = request.method == "POST" and "travel" in request.POST
    travel_form = pending.upload_form(request, TravelTimeForm) if travel_posted else TravelTimeForm()
    travel_errors, travel_step = [], None
    if travel_posted:
        require(request.user, Perm.MANAGE_LOGISTICS)
        # Two steps: a preview with the count, then the confirmed import of the same file (core/pending.py).
        travel_step = pending.import_in_two_steps(
            request, kind="waktu-tempuh", form=travel_form,
            run=lambda filename, content, dry_run: import_travel_times(
                actor=request.user, election=election, district=district, table=read_table(filename, content, required=TRAVEL_COLUMNS), dry_run=dry_run
            ),
        )  # fmt: skip
        travel_errors = [str(e) for e in travel_step.errors]
        if travel_step.result is not None:
            rows, changed = travel_step.result
            messages.success(request, _("%(rows)s waktu tempuh disimpan (%(changed)s pasangan berubah). Susun ulang rencana untuk memakainya.") % {"rows": rows, "changed": changed})
            return district_views.back_to("logistics:distribution", election, district)
    here = reverse("logistics:distribution", args=[slug]) + district_views.query(district)
    with timezone.override(election.zone_at(district.code)):
        closure_form = ClosureForm(request.POST if "close" in request.POST else None, crossings=crossings)
        if request.method == "POST" and not travel_posted:
            require(request.user, Perm.MANAGE_LOGISTICS)
            reason = ""
            planned = stations_visible_to(request.user, election).filter(village__code__startswith=district.code + ".").count()

            def ask_first(title: str):
                return ask(
                    request, election=election, count=planned, back=here, title=title,
                    message=_("Rencana distribusi disusun ulang untuk %(n)s TPS: konvoi, waktu tiba dan surat jalan dapat berubah. Rencana sekarang disimpan sebagai pembanding.") % {"n": planned},
                )  # fmt: skip

            try:
                if "reopen" in request.POST:
                    closure = get_object_or_404(CrossingClosure, pk=request.POST.get("reopen"), crossing__election=election, crossing__district=district)
                    if not is_confirmed(request):
                        return ask_first(_("Buka kembali %(name)s dan susun ulang rencana?") % {"name": closure.crossing.name})
                    reopen_crossing(actor=request.user, closure=closure)
                    reason = _("Penyeberangan %(name)s dibuka kembali") % {"name": closure.crossing.name}
                elif closure_form.is_bound and closure_form.is_valid():
                    crossing = next(c for c in crossings if str(c.pk) == closure_form.cleaned_data["crossing"])
                    if not is_confirmed(request):
                        return ask_first(_("Tutup %(name)s dan susun ulang rencana?") % {"name": crossing.name})
                    close_crossing(
                        actor=request.user, crossing=crossing, starts_at=closure_form.cleaned_data["starts_at"], ends_at=closure_form.cleaned_data["ends_at"], reason=closure_form.cleaned_data["reason"]
                    )
                    reason = _("%(name)s ditutup: %(reason)s") % {"name": crossing.name, "reason": closure_form.cleaned_data["reason"]}
                elif replan_form.is_bound and replan_form.is_valid():
                    if not is_confirmed(request):
                        return ask_first(_("Susun ulang rencana distribusi?"))
                    reason = replan_form.cleaned_data["reason"]
                else:
                    reason = None
                if reason is not None:
                    # Some seconds of solving: a task of the worker, followed on the job's page.
                    job = queue_replan(actor=request.user, election=election, district=district, reason=reason)
                    messages.info(request, _("Rencana distribusi sedang disusun ulang."))
                    return redirect("core:job", slug=slug, pk=job.pk)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, getattr(error, "messages", [str(error)])[0])
                return redirect(here)
    visible = plan_for(request.user, election, district)
    plan = visible.plan if visible else None
    district_user = sees_whole_district(request.user)
    context = {
        "election": election,
        "plan": plan,
        "deadline": visible.deadline if visible else None,
        "days": _convoy_rows(visible) if visible else [],
        "late": visible.late if visible else [],
        "changes": [
            {"label": visible.label(moved.station_id), "before": moved.before, "after": moved.after}
            for moved in (changes_between(read_plan(plan.previous.data, plan.data["time_zone"]), read_plan(plan.data, plan.data["time_zone"])) if plan and plan.previous else [])
            if moved.station_id in visible.stations
        ],
        "closures": CrossingClosure.objects.filter(crossing__election=election, crossing__district=district).select_related("crossing"),
        "crossings": crossings,
        "may_manage": may_manage and district_user,
        "may_edit_network": may_manage and may_edit_network(request.user, election, district),
        "replan_form": replan_form,
        "closure_form": closure_form,
        "travel_form": travel_form,
        "travel_errors": travel_errors,
        "travel_preview": travel_step.preview if travel_step else None,
        "travel_token": travel_step.token if travel_step else "",
        "travel_count": TravelTime.objects.filter(election=election, district=district).count(),
        "replans": unfinished_jobs(request.user, election, "logistics.replan"),
        "zone": election.zone_at(district.code),
        "zone_label": zone_label(election.zone_at(district.code)),
        **district_views.context_of(request, election, district),
    }
    return render(request, "logistics/distribution.html", context, status=400 if travel_errors or travel_form.errors else 200)


@login_required
@require_GET
def distribution_xlsx(request, slug):
    """The latest plan in Excel: convoys, their stops in order, late TPS."""
    election = election_by_slug(slug)
    require(request.user, Perm.VIEW_LOGISTICS)
    district = district_views.page_district(request, election)
    visible = plan_for(request.user, election, district) if district else None
    if visible is None:
        raise Http404("no plan")
    content = exports.plan_xlsx(visible)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="rencana-distribusi-{election.slug}-{district.code}.xlsx"'
    return response


@login_required
@require_GET
def distribution_layer(request, slug):
    """Per visible TPS: the day (H-n) and time its kit reaches the village store, and the convoy (for
    the map), from the latest plan of every district in the viewer's area."""
    election = election_by_slug(slug)
    require(request.user, Perm.VIEW_LOGISTICS)
    visible = set(stations_visible_to(request.user, election).values_list("pk", flat=True))
    layer = {}
    for plan in latest_plans(election, request.user.area_code):
        for sid, delivery in read_plan(plan.data, plan.data["time_zone"]).cut_to(visible, every_convoy=False).deliveries().items():
            if sid in visible:
                days_before = (election.voting_date - delivery.stop.arrive.date()).days
                layer[str(sid)] = {"h": min(days_before, 4), "label": f"H-{days_before} {delivery.stop.arrive_time} · {delivery.convoy.id}"}
    return JsonResponse(layer)

"""Pages of joint monitoring visits: the schedule per day, planning a visit, a visit with its TPS and
what was found, recording the findings at one TPS, applying them, cancelling and completing, and
the visit report PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.permissions import Perm, can, require
from sinergi.elections.queries import election_by_slug
from sinergi.regions.models import Region
from sinergi.regions.queries import within
from sinergi.risk.models import ChecklistAnswer, Indicator, StationClass
from sinergi.stations.queries import stations_visible_to
from sinergi.visits import documents, queries, services
from sinergi.visits.forms import CancelForm, CompleteForm, FindingsForm, VisitForm


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (unknown names go on top)."""
    for name, texts in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
        form.add_error(name if name in form.fields else None, texts)


def _tz_label(election) -> str:
    return election.time_zone_label.split(" ")[0]


@login_required
def schedule(request, slug):
    election = election_by_slug(slug)
    days = queries.schedule(request.user, election)
    return render(
        request,
        "visits/schedule.html",
        {"election": election, "days": days, "may_plan": can(request.user, Perm.MANAGE_VISITS), "tz_label": _tz_label(election)},
    )


@login_required
def visit_new(request, slug):
    election = election_by_slug(slug)
    require(request.user, Perm.MANAGE_VISITS)
    kecamatans = list(Region.objects.filter(within("code", request.user.area_code), level=Region.Level.KECAMATAN).order_by("code"))
    code = request.GET.get("kecamatan", "") or (kecamatans[0].code if len(kecamatans) == 1 else "")
    kecamatan = next((k for k in kecamatans if k.code == code), None)
    if kecamatan is None:
        return render(request, "visits/pick_kecamatan.html", {"election": election, "kecamatans": kecamatans})
    stations = stations_visible_to(request.user, election).filter(village__parent_id=kecamatan.code).order_by("village__name", "number")
    agencies = queries.agencies_for(kecamatan.code)
    initial = {"agencies": [str(request.user.agency_id)] if request.user.agency_id else [], "minutes_per_station": 45}
    form = VisitForm(request.POST or None, initial=initial, agencies=agencies, stations=stations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.plan_visit(
                actor=request.user,
                election=election,
                day=data["day"],
                station_ids=form.station_ids,
                agency_ids=[int(pk) for pk in data["agencies"]],
                team=data["team"],
                purpose=data["purpose"],
                minutes_per_station=data["minutes_per_station"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Kunjungan bersama dijadwalkan: %(visit)s.") % {"visit": visit})
            return redirect("visits:detail", slug=slug, pk=visit.pk)
    levels = dict(StationClass.Level.choices)
    classes = {sid: levels.get(level, "") for sid, level in StationClass.objects.filter(station__in=stations).values_list("station_id", "level")}
    rows = [(station, field, classes.get(station.pk, "")) for station, field in form.station_rows()]
    return render(request, "visits/visit_form.html", {"election": election, "form": form, "kecamatan": kecamatan, "rows": rows})


@login_required
def visit_detail(request, slug, pk):
    election = election_by_slug(slug)
    visit = queries.visit_for(request.user, election, pk)
    stops = list(visit.stops.all())
    classes = queries.class_of([s.station_id for s in stops])
    levels = dict(StationClass.Level.choices)
    rows = [
        {
            "stop": s,
            "before": levels.get(s.suggestion_before, ""),
            "after": levels.get(s.suggestion_after, ""),
            "police_class": levels.get(classes.get(s.station_id, ""), ""),
        }
        for s in stops
    ]
    may_manage = queries.may_manage(request.user, visit)
    return render(
        request,
        "visits/detail.html",
        {
            "election": election,
            "visit": visit,
            "rows": rows,
            "may_manage": may_manage and visit.status == visit.Status.PLANNED,
            "may_apply": queries.may_apply(request.user, election),
            "cancel_form": CancelForm(),
            "complete_form": CompleteForm(),
            "tz_label": _tz_label(election),
        },
    )


def _stop_of(visit, stop_pk):
    stop = next((s for s in visit.stops.all() if s.pk == stop_pk), None)
    if stop is None:
        raise Http404("TPS ini tidak termasuk kunjungan.")
    return stop


@login_required
def stop_findings(request, slug, pk, stop_pk):
    """What the team found at one TPS: the form prefilled with the findings recorded, else with the
    TPS's checklist as it stands."""
    election = election_by_slug(slug)
    visit = queries.visit_for(request.user, election, pk)
    stop = _stop_of(visit, stop_pk)
    if not queries.may_manage(request.user, visit) or visit.status != visit.Status.PLANNED:
        raise PermissionDenied("Temuan dicatat oleh tim kunjungan selama kunjungan masih direncanakan.")
    indicators = list(Indicator.objects.filter(election=election).select_related("variable"))
    if stop.recorded:
        current = {code: tuple(value) for code, value in stop.findings.items()}
    else:
        current = {
            code: (present, note)
            for code, present, note in ChecklistAnswer.objects.filter(station=stop.station).values_list("indicator__code", "present", "note")
        }
    initial = {"note": stop.note, "photo_code": stop.photo_code}
    for indicator in indicators:
        present, note = current.get(indicator.code, (False, ""))
        initial[f"present_{indicator.pk}"], initial[f"note_{indicator.pk}"] = present, note
    form = FindingsForm(request.POST or None, request.FILES or None, initial=initial, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        try:
            stop = services.record_findings(
                actor=request.user,
                stop=stop,
                findings=form.findings(),
                note=form.cleaned_data["note"],
                photo=form.cleaned_data["photo"] or None,
                photo_code=form.cleaned_data["photo_code"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if stop.applied_at:
                messages.success(request, _("Temuan dicatat dan diterapkan pada daftar periksa %(tps)s.") % {"tps": stop.station})
            else:
                messages.success(request, _("Temuan dicatat; menunggu diterapkan oleh staf Bawaslu pada daftar periksa %(tps)s.") % {"tps": stop.station})
            return redirect("visits:detail", slug=slug, pk=pk)
    return render(
        request,
        "visits/findings_form.html",
        {"election": election, "visit": visit, "stop": stop, "form": form, "may_apply": queries.may_apply(request.user, election)},
    )


@login_required
@require_POST
def stop_apply(request, slug, pk, stop_pk):
    election = election_by_slug(slug)
    visit = queries.visit_for(request.user, election, pk)
    stop = _stop_of(visit, stop_pk)
    try:
        stop = services.apply_findings(actor=request.user, stop=stop)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Temuan %(tps)s diterapkan pada daftar periksa: %(n)s jawaban berubah.") % {"tps": stop.station, "n": stop.answers_changed})
    return redirect("visits:detail", slug=slug, pk=pk)


@login_required
@require_POST
def visit_cancel(request, slug, pk):
    election = election_by_slug(slug)
    visit = queries.visit_for(request.user, election, pk)
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Isi alasan pembatalan."))
        services.cancel_visit(actor=request.user, visit=visit, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Kunjungan dibatalkan."))
    return redirect("visits:detail", slug=slug, pk=pk)


@login_required
@require_POST
def visit_complete(request, slug, pk):
    election = election_by_slug(slug)
    visit = queries.visit_for(request.user, election, pk)
    form = CompleteForm(request.POST)
    form.is_valid()
    try:
        services.complete_visit(actor=request.user, visit=visit, summary=form.cleaned_data.get("summary", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Kunjungan selesai."))
    return redirect("visits:detail", slug=slug, pk=pk)


@login_required
def report_pdf(request, slug, pk):
    election = election_by_slug(slug)
    visit = queries.visit_for(request.user, election, pk)
    response = HttpResponse(documents.report_pdf(visit), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="laporan-kunjungan-bersama-{visit.pk}.pdf"'
    return response

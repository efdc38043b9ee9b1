from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sinergi.accounts.permissions import Perm, can, require
from sinergi.core import pending
from sinergi.core.confirm import ask, is_confirmed
from sinergi.core.streaming import csv_response, xlsx_response
from sinergi.core.tabular import RowError, read_table
from sinergi.elections.queries import election_by_slug
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.risk import exports
from sinergi.risk.documents import release_pdf
from sinergi.risk.forms import ChecklistForm, ChecklistUploadForm, ClassForm, ClassRulesForm, IntelNoteForm, ReleaseRulesForm
from sinergi.risk.models import ChecklistAnswer, Indicator, StationClass, Variable
from sinergi.risk.queries import (
    checklist_of,
    classes_for,
    collection_stage,
    intel_notes_for,
    present_codes,
    release_for,
    rules_for,
    station_labels,
    suggestion_changes,
    suggestions_for_stations,
)
from sinergi.risk.rollup import classes_by_region, release_by_region
from sinergi.risk.services import add_intel_note, collection_is_open, confirm_suggestions, import_checklists, set_rules, set_station_class, submit_checklist
from sinergi.situation import drilldown
from sinergi.stations.queries import served_districts, station_detail, stations_visible_to


def _area(user) -> tuple[str, str]:
    code = user.area_code or ""
    region = Region.objects.filter(code=code).first()
    return code, region.name if region else _("Semua wilayah")


@login_required
def checklist(request, slug, pk):
    """The TPS's vulnerability page: checklist (editable by those who may), police class, intel notes."""
    election = election_by_slug(slug)
    station = station_detail(request.user, election, pk)
    rows = checklist_of(request.user, station)
    may_fill = can(request.user, Perm.FILL_CHECKLIST)
    form = ChecklistForm(request.POST if request.method == "POST" else None, request.FILES or None, rows=rows)
    if request.method == "POST":
        if not may_fill:
            raise PermissionDenied
        if form.is_valid():
            try:
                image = form.cleaned_data.get("evidence")
                changed = submit_checklist(
                    actor=request.user,
                    station=station,
                    answers=form.answers(),
                    reason=form.cleaned_data["reason"],
                    evidence=(form.cleaned_data["evidence_code"], image) if image else None,
                )
            except ValidationError as error:
                form.add_error("reason", error.messages[0])
            else:
                messages.success(request, _("Daftar periksa disimpan (%(n)s jawaban berubah).") % {"n": changed})
                return redirect("risk:checklist", slug=slug, pk=pk)
    sees_class = can(request.user, Perm.VIEW_POLICE_CLASS)
    suggestion = suggestions_for_stations(election, [station])[station.pk] if sees_class else None
    police_class = StationClass.objects.filter(station=station).select_related("set_by").first() if sees_class else None
    context = {
        "election": election,
        "station": station,
        "form": form,
        "may_fill": may_fill,
        "collection_open": collection_is_open(election),
        "stage": collection_stage(election),
        "suggestion": suggestion,
        "suggestion_label": StationClass.Level(suggestion.level).label if suggestion else "",
        "police_class": police_class,
        "class_form": ClassForm(initial={"level": police_class.level if police_class else suggestion.level})
        if can(request.user, Perm.SET_POLICE_CLASS)
        else None,
        "intel_notes": intel_notes_for(request.user, station) if can(request.user, Perm.VIEW_INTEL) else None,
        "intel_form": IntelNoteForm() if can(request.user, Perm.ADD_INTEL) else None,
    }
    return render(request, "risk/checklist.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def set_class(request, slug, pk):
    election = election_by_slug(slug)
    station = station_detail(request.user, election, pk)
    form = ClassForm(request.POST)
    if form.is_valid():
        try:
            set_station_class(actor=request.user, station=station, level=form.cleaned_data["level"], reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Kelas TPS disimpan."))
    return redirect("risk:checklist", slug=slug, pk=pk)


@login_required
@require_POST
def add_note(request, slug, pk):
    election = election_by_slug(slug)
    station = station_detail(request.user, election, pk)
    form = IntelNoteForm(request.POST)
    if form.is_valid():
        add_intel_note(actor=request.user, station=station, text=form.cleaned_data["text"])
        messages.success(request, _("Catatan disimpan."))
    return redirect("risk:checklist", slug=slug, pk=pk)


@login_required
@require_GET
def release_page(request, slug):
    """The release of the viewer's area; `?wilayah=` narrows it to a province, district or
    kecamatan inside (situation/drilldown.py). Wider than a district (a province or the whole
    country), it is the release per district (per province), counted by the database
    (`risk.rollup`), each column opening its region."""
    election = election_by_slug(slug)
    viewer, region = drilldown.narrowed(request)
    wide = release_by_region(viewer, election)
    code, name = _area(viewer)
    crumbs = drilldown.crumbs(request.user, region)
    if wide is not None:
        context = {"election": election, "rollup": wide, "area_name": name, "crumbs": crumbs, "region": region, "variables": list(Variable.objects.filter(election=election))}
        context["variables"] = [(v, wide.result.by_variable.get(v.number, 0)) for v in context["variables"]]
        return render(request, "risk/release_regions.html", context)
    result = release_for(viewer, election)
    kecamatans = sorted({d for entry in result.indicators for d in entry.by_kecamatan})
    names = dict(Region.objects.filter(code__in=kecamatans).values_list("code", "name"))
    stations = {s.pk: s for s in stations_visible_to(viewer, election).filter(pk__in=[sid for sid, _ in result.several_variables])}
    villages_of: dict[str, list[str]] = {}
    for village in sorted({v for entry in result.indicators for v in entry.by_village}):
        villages_of.setdefault(codes.kecamatan_of(village), []).append(village)
    village_names = dict(Region.objects.filter(code__in=[v for vs in villages_of.values() for v in vs]).values_list("code", "name"))
    present = [entry for entry in result.indicators if entry.total]
    per_village = [
        (
            names.get(d, d),
            [(v, village_names.get(v, v)) for v in villages_of.get(d, [])],
            [(entry, [entry.by_village.get(v, 0) for v in villages_of.get(d, [])]) for entry in present],
        )
        for d in kecamatans
    ]
    context = {
        "election": election,
        "result": result,
        "area_name": name,
        "crumbs": crumbs,
        "region": region,
        "per_village": per_village,
        "kecamatans": [(d, names.get(d, d)) for d in kecamatans],
        "matrix": [(entry, [entry.by_kecamatan.get(d, 0) for d in kecamatans]) for entry in result.indicators],
        "variables": [(v, result.by_variable.get(v.number, 0)) for v in Variable.objects.filter(election=election)],
        "several": [(stations[sid], numbers) for sid, numbers in result.several_variables if sid in stations],
    }
    return render(request, "risk/release.html", context)


@login_required
@require_GET
def release_download(request, slug, fmt):
    election = election_by_slug(slug)
    filename = f"tps-rawan-{election.slug}.{fmt}"
    if fmt == "pdf":
        response = HttpResponse(release_pdf(request.user, election), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    result = release_for(request.user, election)
    code, name = _area(request.user)
    names = dict(Region.objects.values_list("code", "name").iterator(chunk_size=10000))
    area = {"area_code": code, "area_name": name, "names": names, "districts": served_districts(election, code or None) if exports.wider_than_a_district(code) else []}
    if fmt == "csv":
        return csv_response(filename, exports.CSV_COLUMNS, exports.release_rows(result, **area))
    labels = station_labels([sid for sid, _ in result.several_variables])
    variables = dict(Variable.objects.filter(election=election).values_list("number", "name"))
    return xlsx_response(filename, exports.release_sheets(result, variable_names=variables, station_labels=labels, **area))


@login_required
def upload(request, slug):
    election = election_by_slug(slug)
    require(request.user, Perm.FILL_CHECKLIST)
    # Two steps: a preview with the count, then the confirmed import of the same file (core/pending.py).
    form = pending.upload_form(request, ChecklistUploadForm)

    def run(filename: str, content: bytes, dry_run: bool) -> int:
        table = read_table(filename, content, required=("kode_desa", "nomor_tps"), known=("alasan", "kode_kecamatan", "nama_desa", "lokasi"))
        return import_checklists(actor=request.user, election=election, table=table, dry_run=dry_run)

    try:
        step = pending.import_in_two_steps(request, kind="daftar-periksa", form=form, run=run)
    except (PermissionDenied, ValidationError) as error:
        step = pending.ImportStep(errors=[RowError(None, None, getattr(error, "messages", [str(error)])[0])])
    if step.result is not None:
        messages.success(request, _("Unggahan disimpan: %(n)s jawaban berubah.") % {"n": step.result})
        return redirect("risk:release", slug=slug)
    codes = list(election.risk_indicators.values_list("code", flat=True))
    context = {"election": election, "form": form, "errors": step.errors, "codes": codes, "preview": step.preview, "token": step.token}
    return render(request, "risk/upload.html", context, status=400 if step.errors else 200)


@login_required
@require_GET
def map_layer(request, slug):
    """Per visible TPS: how many variables are present, and its class (for the map's layers)."""
    election = election_by_slug(slug)
    stations = list(stations_visible_to(request.user, election).values_list("id", flat=True))
    variable_of = dict(election.risk_indicators.values_list("code", "variable__number"))
    present = present_codes(stations_visible_to(request.user, election))
    # The police class only to those it is shared with (police, Bawaslu).
    classes = classes_for(request.user, election) if can(request.user, Perm.VIEW_POLICE_CLASS) else {}
    layer = {}
    for sid in stations:
        layer[str(sid)] = {"variables": len({variable_of[c] for c in present.get(sid, ()) if c in variable_of})}
        if sid in classes:
            layer[str(sid)]["level"] = classes[sid][0]
    return JsonResponse(layer)


@login_required
@require_GET
def evidence(request, slug, pk, code):
    """An evidence photo, only to those who may see the TPS."""
    election = election_by_slug(slug)
    station = station_detail(request.user, election, pk)
    require(request.user, Perm.VIEW_RISK)
    answer = ChecklistAnswer.objects.filter(station=station, indicator__code=code).exclude(evidence="").first()
    if answer is None:
        raise Http404("no evidence")
    return FileResponse(answer.evidence.open("rb"), filename=answer.evidence.name.rsplit("/", 1)[-1])


@login_required
def rules_page(request, slug):
    """The election's rules: Bawaslu edits the frequency groups, the Polres the class rule."""
    election = election_by_slug(slug)
    require(request.user, Perm.VIEW_RISK)
    rules = rules_for(election)
    indicators = list(Indicator.objects.filter(election=election).select_related("variable"))
    choices = [(i.code, f"{i.code} {i.text}") for i in indicators]
    posted = request.POST if request.method == "POST" else None
    release_form = ReleaseRulesForm(posted if posted and "save_release" in posted else None, instance=rules, prefix="rilis")
    class_form = ClassRulesForm(posted if posted and "save_class" in posted else None, instance=rules, choices=choices, prefix="kelas")
    for form, perm in ((release_form, Perm.SET_RELEASE_RULES), (class_form, Perm.MANAGE_GUARD)):
        if form.is_bound:
            require(request.user, perm)
            if form.is_valid():
                try:
                    set_rules(actor=request.user, election=election, **form.cleaned_data)
                except (PermissionDenied, ValidationError) as error:
                    form.add_error(None, getattr(error, "messages", [str(error)])[0])
                else:
                    messages.success(request, _("Aturan disimpan."))
                    return redirect("risk:rules", slug=slug)
    context = {
        "election": election,
        "rules": rules,
        "severe": [(i.code, i.text) for i in indicators if i.code in rules.severe_codes],
        "release_form": release_form if can(request.user, Perm.SET_RELEASE_RULES) else None,
        "class_form": class_form if can(request.user, Perm.MANAGE_GUARD) else None,
        "sees_class": can(request.user, Perm.VIEW_POLICE_CLASS),
    }
    bound = [f for f in (release_form, class_form) if f.is_bound]
    return render(request, "risk/rules.html", context, status=400 if bound and bound[0].errors else 200)


@login_required
def classes_page(request, slug):
    """The Polres's review of every TPS's class in its area: suggestion, class set, and a button
    to confirm the suggestions not yet confirmed."""
    election = election_by_slug(slug)
    require(request.user, Perm.VIEW_POLICE_CLASS)
    if request.method == "POST":
        require(request.user, Perm.SET_POLICE_CLASS)
        unconfirmed = stations_visible_to(request.user, election).filter(police_class__isnull=True).count()
        if unconfirmed and not is_confirmed(request):
            return ask(
                request, election=election, count=unconfirmed, back=reverse("risk:classes", args=[slug]), title=_("Konfirmasi semua saran kelas?"),
                message=_("Setiap TPS yang belum ditetapkan kepolisian diberi kelas sesuai saran sistem, atas nama Anda. TPS yang sudah ditetapkan tidak berubah."),
            )  # fmt: skip
        confirmed = confirm_suggestions(actor=request.user, election=election)
        messages.success(request, _("%(n)s TPS dikonfirmasi sesuai saran sistem.") % {"n": confirmed})
        return redirect("risk:classes", slug=slug)
    viewer, region = drilldown.narrowed(request)
    crumbs = drilldown.crumbs(request.user, region)
    wide = classes_by_region(viewer, election)
    if wide is not None:
        # A province or the whole country: the classes per district (province), counted by the
        # database (`risk.rollup`); a district's TPS, suggestions and changes once opened.
        context = {"election": election, "rollup": wide, "area_name": _area(viewer)[1], "crumbs": crumbs, "region": region}
        return render(request, "risk/classes_regions.html", context)
    shown = request.GET.get("tampil", "")
    changes = suggestion_changes(viewer, election)
    stations = stations_visible_to(viewer, election).select_related("village__parent", "police_class__set_by")
    if shown == "belum":
        stations = stations.filter(police_class__isnull=True)
    elif shown == "berubah":
        stations = stations.filter(pk__in=[c.station.pk for c in changes])
    elif shown in StationClass.Level.values:
        stations = stations.filter(police_class__level=shown)
    page = Paginator(stations, 100).get_page(request.GET.get("page"))
    suggestions = suggestions_for_stations(election, list(page))
    rows = []
    for station in page:
        current = getattr(station, "police_class", None)
        suggestion = suggestions[station.pk]
        rows.append(
            {
                "station": station,
                "suggestion": suggestion,
                "suggestion_label": StationClass.Level(suggestion.level).label,
                "current": current,
                "differs": current is not None and current.level != suggestion.level,
                "changed": current is not None and current.suggested_level != suggestion.level,
            }
        )
    unconfirmed = stations_visible_to(viewer, election).filter(police_class__isnull=True).count()
    context = {
        "election": election,
        "crumbs": crumbs,
        "region": region,
        "query": f"wilayah={region.code}&" if region else "",
        "page": page,
        "rows": rows,
        "shown": shown,
        "levels": StationClass.Level.choices,
        "unconfirmed": unconfirmed,
        "changes": changes,
        # Confirming sets every TPS of the user's own area (`confirm_suggestions`): not offered
        # on a region opened from a wider area.
        "may_set": can(request.user, Perm.SET_POLICE_CLASS) and region is None,
    }
    return render(request, "risk/classes.html", context)

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sinergi.accounts.models import Agency
from sinergi.accounts.permissions import Perm, can, require
from sinergi.accounts.services import set_polsek_coverage
from sinergi.core import pending
from sinergi.core.streaming import csv_response, xlsx_response
from sinergi.elections.queries import election_by_slug
from sinergi.guard.documents import plan_pdf
from sinergi.guard.exports import LEVEL_NAMES, TPS_COLUMNS, PersonnelLine, formation_xlsx, plan_csv_rows, plan_sheets
from sinergi.guard.forms import FormationForm, FormationImportForm, PersonnelForm, PolsekAreaForm
from sinergi.guard.models import Formation
from sinergi.guard.plan_rows import StreamedPlan
from sinergi.guard.presets import FORMATIONS
from sinergi.guard.queries import personnel_of, plan_for, polres_of, polsek_areas
from sinergi.guard.rollup import GuardTotals, guard_by_region
from sinergi.guard.services import current_rules, install_formation_preset, load_formation_file, set_formation, set_personnel
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import related_to, within


def _wide(user) -> bool:
    """A national or provincial user: the plan is shown one kabupaten at a time."""
    return user.area_code is None or "." not in user.area_code


def _district_choice(request) -> tuple[str, list[Region]]:
    """The kabupaten a wide user picked (?kabupaten=), and those they may pick from."""
    choices = list(Region.objects.filter(within("code", request.user.area_code), level=codes.DISTRICT).order_by("code"))
    chosen = request.GET.get("kabupaten", "")[:13]
    return (chosen if any(r.code == chosen for r in choices) else ""), choices


@login_required
def plan_page(request, slug):
    election = election_by_slug(slug)
    require(request.user, Perm.VIEW_GUARD_PLAN)
    if _wide(request.user):
        district, choices = _district_choice(request)
        if len(choices) == 1:
            district = choices[0].code
        if not district:
            # One section per district (its fixed posts, personnel and shortage) and the total.
            totals = guard_by_region(election, request.user.area_code, codes.width_of(codes.DISTRICT))
            rows = [(region, totals.get(region.code, GuardTotals())) for region in choices]
            total = GuardTotals(*(sum(getattr(t, name) for _r, t in rows) for name in ("posts", "police", "linmas", "personnel", "shortage")))
            return render(request, "guard/choose_district.html", {"election": election, "choices": choices, "rows": rows, "total": total})
    else:
        district = ""
    guard = plan_for(request.user, election, district, with_changes=True)
    polseks = Agency.objects.filter(within("region__code", request.user.area_code), kind=Agency.Kind.POLSEK).order_by("region_id")
    form = formation_form = None
    if can(request.user, Perm.MANAGE_GUARD):
        polres = polres_of(request.user)
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
    posts = [p for p in guard.plan.posts if not chosen or p.kecamatan_code == chosen]
    context = {
        "election": election,
        "scope_qs": f"kabupaten={district}&" if district else "",
        "district_name": Region.objects.filter(code=district).values_list("name", flat=True).first() if district else "",
        "guard": guard,
        "totals": [(t, guard.kecamatan_names.get(t.kecamatan_code, t.kecamatan_code)) for t in guard.plan.kecamatans],
        "posts": [(p, LEVEL_NAMES.get(p.level, p.level), [guard.stations[sid] for sid in p.station_ids]) for p in posts],
        "chosen": chosen,
        "form": form,
        "formation_form": formation_form,
        "formations": Formation.objects.filter(related_to("agency__region__code", request.user.area_code), election=election).prefetch_related("rules"),
    }
    return render(request, "guard/plan.html", context)


def _scope(request) -> str:
    """The kabupaten a download or layer covers: '' (the user's own area) for a district or
    smaller user; for a wide user the ?kabupaten= (or the kecamatan's) they asked for, which is
    required — a national plan in one request is far too heavy (docs/benchmarks.md)."""
    if not _wide(request.user):
        return ""
    district, choices = _district_choice(request)
    if not district and request.GET.get("kecamatan"):
        kecamatan = request.GET["kecamatan"][:13]
        prefix = codes.district_of(kecamatan) if codes.is_valid(kecamatan) and codes.level_of(kecamatan) >= codes.DISTRICT else ""
        district = prefix if any(r.code == prefix for r in choices) else ""
    if not district and len(choices) == 1:
        district = choices[0].code
    if not district:
        raise BadRequest("Pilih kabupaten/kota: tambahkan ?kabupaten=KODE.")
    return district


@login_required
@require_GET
def plan_download(request, slug, fmt):
    election = election_by_slug(slug)
    require(request.user, Perm.VIEW_GUARD_PLAN)
    district = _scope(request)
    if fmt == "pdf":
        response = HttpResponse(plan_pdf(request.user, election, request.GET.get("kecamatan", "")[:13], district), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="rencana-pengamanan-{election.slug}.pdf"'
        return response
    streamed = StreamedPlan(request.user, election, district)
    filename = f"rencana-pengamanan-{election.slug}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, TPS_COLUMNS, plan_csv_rows(streamed))
    return xlsx_response(filename, plan_sheets(streamed))


@login_required
@require_GET
def map_layer(request, slug):
    """Per visible TPS: its post number and the post's class (for the map's posts layer)."""
    require(request.user, Perm.VIEW_GUARD_PLAN)
    try:
        district = _scope(request)
    except BadRequest as error:
        return JsonResponse({"detail": str(error)}, status=400)
    guard = plan_for(request.user, election_by_slug(slug), district)
    return JsonResponse({str(sid): {"post": post.number, "level": post.level} for post in guard.plan.posts for sid in post.station_ids})


@login_required
def polsek_areas_page(request, slug):
    """Which Polsek guards which kecamatan of the district (the Polres's administrators): a
    kecamatan handed to another Polsek goes into that Polsek's guard plan; audited."""
    election = election_by_slug(slug)
    require(request.user, Perm.MANAGE_POLSEK_AREAS)
    choices = []
    if _wide(request.user):
        district, choices = _district_choice(request)
        if len(choices) == 1:
            district = choices[0].code
    else:
        district = codes.district_of(request.user.area_code)
    areas = polsek_areas(request.user, district) if district else []
    form = PolsekAreaForm(request.POST if request.method == "POST" else None, areas=areas)
    if form.is_bound and form.is_valid():
        chosen = next(a for row in areas for a in row.choices if a.slug == form.cleaned_data["polsek"])
        kecamatan = next(row.kecamatan for row in areas if row.kecamatan.code == form.cleaned_data["kecamatan"])
        try:
            changed = set_polsek_coverage(actor=request.user, kecamatan_code=kecamatan.code, polsek=chosen)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if changed:
                messages.success(request, _("Kecamatan %(kecamatan)s kini dijaga %(polsek)s.") % {"kecamatan": kecamatan.name, "polsek": chosen.name})
            return redirect(f"{request.path}?kabupaten={district}" if choices else request.path)
    elif form.is_bound:
        messages.error(request, _("Pilih kecamatan dan Polsek dari daftar."))
    context = {"election": election, "areas": areas, "choices": choices, "district": district}
    return render(request, "guard/polsek_areas.html", context)


def _managed_polres(request):
    """The Polres whose formation the user manages (MANAGE_GUARD); 404 for an account with none
    (a national account imports through `sinergi load-formation --polres`)."""
    require(request.user, Perm.MANAGE_GUARD)
    polres = polres_of(request.user)
    if polres is None:
        raise Http404("Akun ini tidak terhubung ke Polres: gunakan sinergi load-formation --polres SLUG.")
    return polres


@login_required
def formation_import(request, slug):
    """The Polres uploads its formation and its Polsek's personnel (docs/import-formats.md):
    previewed with what would change, imported only on confirmation (core/pending.py)."""
    election = election_by_slug(slug)
    polres = _managed_polres(request)
    form = pending.upload_form(request, FormationImportForm)
    step = pending.import_in_two_steps(
        request, kind="formasi", form=form,
        run=lambda filename, content, dry_run: load_formation_file(actor=request.user, election=election, polres=polres, filename=filename, content=content, dry_run=dry_run),
    )  # fmt: skip
    if step.result is not None:
        messages.success(request, _("Impor formasi selesai: %(summary)s") % {"summary": step.result.summary()})
        return redirect("guard:plan", slug=slug)
    context = {
        "election": election,
        "polres": polres,
        "form": form,
        "errors": step.errors,
        "preview": step.preview,
        "token": step.token,
        "presets": [(key, data["name"]) for key, data in FORMATIONS.items()],
    }
    return render(request, "guard/formation_import.html", context, status=400 if step.errors else 200)


@login_required
@require_GET
def formation_download(request, slug):
    """The formation file of the user's Polres: its current formation and personnel, or with
    ?preset=KEY a preset's formation as the starting point (personnel as stored)."""
    election = election_by_slug(slug)
    polres = _managed_polres(request)
    preset = request.GET.get("preset", "")[:60]
    if preset and preset not in FORMATIONS:
        raise Http404("Formasi awal tidak dikenal.")
    rules = FORMATIONS[preset]["rules"] if preset else current_rules(election, polres)
    personnel = [
        PersonnelLine(code, name, polsek.name, row.available if row else None, row.reinforcements if row else None)
        for code, name, polsek, row in personnel_of(election, polres)
    ]
    # The file is in the import's own language (its column names are Indonesian), like every export.
    title = f"Formasi pengamanan TPS — {polres.name}, {election.name}" + (f" (formasi awal: {FORMATIONS[preset]['name']})" if preset else "")
    response = HttpResponse(formation_xlsx(title=title, rules=rules, personnel=personnel), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="formasi-{polres.slug}-{election.slug}{"-" + preset if preset else ""}.xlsx"'
    return response

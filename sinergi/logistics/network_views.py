"""The distribution network in a page: places, crossings, vehicle groups, the plan's rules and
escort teams, edited in forms, beside the JSON export and import. KPU of the district whose TPS
the network serves only (`network.require_network`); every write goes through network.py."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sinergi.accounts.permissions import Perm, require
from sinergi.audit.models import AuditEvent
from sinergi.core import pending
from sinergi.core.tabular import InputRejected, RowError
from sinergi.elections.queries import election_by_slug
from sinergi.logistics import district_views
from sinergi.logistics.districts import stations_of
from sinergi.logistics.models import Crossing, CrossingClosure, Place, VehicleGroup
from sinergi.logistics.network import RowRejected, export_network, load_network, preview_network, require_network, save_row, save_rules, users_of_place
from sinergi.logistics.network_forms import CrossingForm, EscortsForm, NetworkFileForm, PlaceForm, RulesForm, VehicleForm
from sinergi.logistics.plans import latest_of
from sinergi.stations.models import Station

# section of the document -> (model, the row's key on the model, form, URL names' stem, nouns)
SECTIONS = {
    "tempat": (Place, "key", PlaceForm, "place"),
    "penyeberangan": (Crossing, "name", CrossingForm, "crossing"),
    "kendaraan": (VehicleGroup, "name", VehicleForm, "vehicle"),
}


def _nouns(section: str) -> tuple[str, str]:
    """(the noun, "add a ..." title) of a section, translated."""
    return {
        "tempat": (_("Tempat"), _("Tambah tempat")),
        "penyeberangan": (_("Penyeberangan"), _("Tambah penyeberangan")),
        "kendaraan": (_("Kelompok kendaraan"), _("Tambah kelompok kendaraan")),
    }[section]


def _district(request, election):
    """The district whose network the page is about, the viewer refused unless they may change
    it; None when a viewer over several districts must choose."""
    require(request.user, Perm.MANAGE_LOGISTICS)  # before any choice is offered: a reader is refused at once
    district = district_views.page_district(request, election)
    if district is not None:
        require_network(request.user, election, district)
    return district


def _network_changed_after_plan(election, district) -> dict | None:
    """When the network was last changed after the district's latest plan was made (the plan is then stale)."""
    plan = latest_of(election, district)
    changed = (
        AuditEvent.objects.filter(election=election.slug, region=district.code, action__startswith="network.").order_by("-at").values_list("at", flat=True).first()
    )
    if plan is None or changed is None or changed <= plan.created_at:
        return None
    return {"changed": changed, "planned": plan.created_at}


def _import_run(request, election, district):
    def run(filename: str, content: bytes, dry_run: bool):
        try:
            document = json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InputRejected([RowError(None, None, _("Berkas %(file)s tidak dapat dibaca sebagai JSON: %(error)s") % {"file": filename, "error": error})]) from None
        try:
            if dry_run:
                return preview_network(actor=request.user, election=election, district=district, document=document)
            return load_network(actor=request.user, election=election, district=district, document=document)
        except ValidationError as error:
            raise InputRejected([RowError(None, None, message) for message in error.messages]) from None

    return run


def _preview_rows(preview: dict) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """Per section of the document: its name and what the import adds, changes and removes."""
    labels = {"tambah": _("ditambah"), "ubah": _("diubah"), "hapus": _("dihapus")}
    return [
        (_nouns(section)[0] if section != "aturan" else _("Aturan"), [(labels[kind], rows) for kind, rows in change.items() if rows])
        for section, change in preview.items()
    ]


@login_required
def network_page(request, slug):
    """The network listed, with links to the forms, the JSON export and the JSON import (previewed,
    then confirmed: core/pending.py)."""
    election = election_by_slug(slug)
    district = _district(request, election)
    if district is None:
        return district_views.choose(request, election, _("Jaringan distribusi"))
    pending.cancel(request, "jaringan")
    import_form = pending.upload_form(request, NetworkFileForm) if request.method == "POST" else NetworkFileForm()
    step = None
    if request.method == "POST":
        step = pending.import_in_two_steps(request, kind="jaringan", form=import_form, run=_import_run(request, election, district))
        if step.result is not None:
            counts = step.result
            messages.success(
                request,
                _("Jaringan dimuat dari berkas: %(places)s tempat, %(crossings)s penyeberangan, %(vehicles)s kelompok kendaraan. Susun ulang rencana distribusi untuk memakainya.")
                % {"places": counts["tempat"], "crossings": counts["penyeberangan"], "vehicles": counts["kendaraan"]},
            )
            return district_views.back_to("logistics:network", election, district)
    preview = step.preview if step else None
    closures: dict[int, int] = {}
    mine = {"election": election, "district": district}
    for crossing_id in CrossingClosure.objects.filter(crossing__election=election, crossing__district=district).values_list("crossing_id", flat=True):
        closures[crossing_id] = closures.get(crossing_id, 0) + 1
    crossings = list(Crossing.objects.filter(**mine).select_related("origin", "destination").order_by("name"))
    for crossing in crossings:
        crossing.closure_count = closures.get(crossing.pk, 0)
    document = export_network(election, district)
    rules, escorts = RulesForm(initial=document["aturan"]), EscortsForm(initial=document["aturan"])
    errors = [str(e) for e in step.errors] if step else []
    context = {
        "election": election,
        "places": Place.objects.filter(**mine).order_by("key"),
        "crossings": crossings,
        "vehicles": VehicleGroup.objects.filter(**mine).select_related("base").order_by("name"),
        "rules": [(field.label, document["aturan"][name]) for name, field in rules.fields.items()],
        "escorts": [(field.label, document["aturan"][name]) for name, field in escorts.fields.items()],
        "stale": _network_changed_after_plan(election, district),
        "import_form": import_form,
        "import_errors": errors,
        "preview": _preview_rows(preview) if preview else None,
        "preview_count": sum(len(rows) for change in preview.values() for rows in change.values()) if preview else 0,
        "import_token": step.token if step else "",
        **district_views.context_of(request, election, district),
    }
    return render(request, "logistics/network.html", context, status=400 if errors or import_form.errors else 200)


@login_required
@require_GET
def network_json(request, slug):
    """The network as the JSON document the import (and `sinergi network --load`) reads."""
    election = election_by_slug(slug)
    district = _district(request, election)
    if district is None:
        raise Http404("choose a district")
    text = json.dumps(export_network(election, district), ensure_ascii=False, indent=1) + "\n"
    response = HttpResponse(text.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jaringan-distribusi-{election.slug}-{district.code}.json"'
    return response


def _current(request, election, section: str, pk: int | None):
    """(the object being edited, its row of the exported document ({} when adding), its district);
    the viewer refused unless they may change that district's network."""
    if pk is None:
        district = _district(request, election)
        if district is None:
            raise Http404("choose a district")
        return None, {}, district
    model, field, _form, _stem = SECTIONS[section]
    obj = get_object_or_404(model.objects.select_related("district"), pk=pk, election=election)
    require_network(request.user, election, obj.district)
    key = "kode" if section == "tempat" else "nama"
    row = next((r for r in export_network(election, obj.district)[section] if r[key] == getattr(obj, field)), None)
    if row is None:
        raise Http404("not in the network")
    return obj, row, obj.district


def _add_errors(form, rejected: RowRejected) -> None:
    for field, errors in rejected.fields.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error if field in form.fields else f"{field}: {error}")
    for error in rejected.general:
        form.add_error(None, error)


@login_required
def row_form(request, slug, section, pk=None):
    """Add (no `pk`) or change one place, crossing or vehicle group."""
    election = election_by_slug(slug)
    model, field, form_class, stem = SECTIONS[section]
    obj, current, district = _current(request, election, section, pk)
    kwargs = {"editing": obj is not None}
    if section != "tempat":
        kwargs["places"] = Place.objects.filter(election=election, district=district).order_by("key")
    form = form_class(request.POST or None, initial=current, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save_row(actor=request.user, election=election, district=district, section=section, original=getattr(obj, field) if obj else None, row=form.row())
        except RowRejected as rejected:
            _add_errors(form, rejected)
        else:
            messages.success(
                request,
                _("%(what)s “%(name)s” disimpan. Rencana distribusi belum berubah: susun ulang rencana untuk memakai perubahan ini.")
                % {"what": _nouns(section)[0], "name": form.cleaned_data.get("nama") or getattr(obj, "name", "")},
            )
            return district_views.back_to("logistics:network", election, district)
    noun, add_title = _nouns(section)
    context = {
        "election": election,
        "form": form,
        "title": _("Ubah %(what)s: %(name)s") % {"what": noun.lower(), "name": obj} if obj else add_title,
        "obj": obj,
        "delete_url": f"logistics:{stem}_delete",
        **district_views.context_of(request, election, district),
    }
    return render(request, "logistics/network_form.html", context, status=400 if form.errors else 200)


@login_required
def row_delete(request, slug, section, pk):
    """Delete a place, crossing or vehicle group: a page saying what goes with it (a place still
    used by a crossing or vehicle group is refused, naming them), then the POST."""
    election = election_by_slug(slug)
    model, field, _form, _stem = SECTIONS[section]
    obj, current, district = _current(request, election, section, pk)
    errors, consequences = [], []
    if request.method == "POST":
        try:
            save_row(actor=request.user, election=election, district=district, section=section, original=getattr(obj, field), row=None)
        except RowRejected as rejected:
            errors = rejected.messages
        else:
            messages.success(request, _("%(what)s “%(name)s” dihapus. Susun ulang rencana distribusi untuk memakai perubahan ini.") % {"what": _nouns(section)[0], "name": obj})
            return district_views.back_to("logistics:network", election, district)
    in_use = users_of_place(export_network(election, district), obj.key) if section == "tempat" else []
    if section == "penyeberangan":
        stations = stations_of(election, district).filter(access=Station.Access.SEA, crossing=obj.name).count()
        closures = CrossingClosure.objects.filter(crossing=obj).count()
        if stations:
            consequences.append(
                _("%(n)s TPS mencatat penyeberangan ini; tanpa penyeberangan ini rencana berikutnya tidak dapat melayani mereka (dicatat sebagai tidak terlayani).") % {"n": stations}
            )
        if closures:
            consequences.append(_("%(n)s penutupan penyeberangan ini ikut terhapus.") % {"n": closures})
    context = {"election": election, "obj": obj, "noun": _nouns(section)[0], "in_use": in_use, "consequences": consequences, "errors": errors}
    context.update(district_views.context_of(request, election, district))
    return render(request, "logistics/network_delete.html", context, status=400 if errors else 200)


@login_required
def rules_form(request, slug, part):
    """The plan's rules (`aturan`) or the escort teams per day (`pengawalan`)."""
    election = election_by_slug(slug)
    district = _district(request, election)
    if district is None:
        raise Http404("choose a district")
    form_class = EscortsForm if part == "pengawalan" else RulesForm
    current = export_network(election, district)["aturan"]
    form = form_class(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            save_rules(actor=request.user, election=election, district=district, rules=form.rules())
        except RowRejected as rejected:
            _add_errors(form, rejected)
        else:
            what = _("Tim pengawalan") if part == "pengawalan" else _("Aturan rencana")
            messages.success(request, _("%(what)s disimpan. Rencana distribusi belum berubah: susun ulang rencana untuk memakai perubahan ini.") % {"what": what})
            return district_views.back_to("logistics:network", election, district)
    title = _("Ubah tim pengawalan per hari") if part == "pengawalan" else _("Ubah aturan rencana distribusi")
    context = {"election": election, "form": form, "title": title, "obj": None, "escorts": part == "pengawalan", **district_views.context_of(request, election, district)}
    return render(request, "logistics/network_form.html", context, status=400 if form.errors else 200)


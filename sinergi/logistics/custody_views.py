"""Pages of the chain of custody: the status board, a consignment with its handovers and forms,
QR codes that open a record, and the printed documents (surat jalan, berita acara)."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sinergi.accounts.permissions import Perm, can, require
from sinergi.core.confirm import ask, is_confirmed
from sinergi.core.links import absolute_url
from sinergi.elections.queries import election_by_slug, local_moment
from sinergi.logistics import district_views, documents
from sinergi.logistics.board import board_for
from sinergi.logistics.custody import (
    CustodyConflict,
    Reported,
    create_consignments,
    dispatch,
    next_parties,
    party_labels,
    record_handover,
    resolve_token,
    start_return,
    token_for,
)
from sinergi.logistics.district_totals import is_wide
from sinergi.logistics.forms import DispatchForm, HandoverForm
from sinergi.logistics.models import Consignment, DistributionPlan, Handover, KitItem
from sinergi.logistics.plans import plan_for
from sinergi.logistics.queries import consignments_due, returns_due
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.stations.queries import stations_visible_to


def _consignment(user, election, pk) -> Consignment:
    require(user, Perm.VIEW_LOGISTICS)
    consignment = get_object_or_404(Consignment.objects.select_related("station__village__parent", "election"), pk=pk, election=election)
    if not stations_visible_to(user, election).filter(pk=consignment.station_id).exists():
        raise Http404("outside the area")
    return consignment


@login_required
def board_page(request, slug):
    election = election_by_slug(slug)
    if request.method == "POST":
        require(request.user, Perm.MANAGE_LOGISTICS)
        back = reverse("logistics:board", args=[slug])
        if "start_return" in request.POST:
            due = returns_due(request.user, election)
            if not due:
                messages.info(request, _("Belum ada TPS yang kitnya sudah diterima KPPS dan belum dikembalikan: tidak ada yang dibuat."))
            elif not is_confirmed(request):
                return ask(
                    request, election=election, count=due, back=back, title=_("Mulai pengembalian ke KPU?"),
                    message=_("Untuk setiap TPS yang kitnya sudah diterima KPPS dibuat satu konsinyasi pengembalian, dipegang KPPS. Lakukan setelah penghitungan suara selesai; konsinyasi yang dibuat tidak dapat dihapus."),
                )  # fmt: skip
            else:
                made = start_return(actor=request.user, election=election)
                messages.success(request, _("%(n)s konsinyasi pengembalian dibuat (dipegang KPPS).") % {"n": made})
        elif "create" in request.POST:
            due = consignments_due(request.user, election)
            if due and not is_confirmed(request):
                return ask(
                    request, election=election, count=due, back=back, title=_("Buat konsinyasi?"),
                    message=_("Untuk setiap TPS yang belum punya konsinyasi dibuat satu konsinyasi keluar berisi kit sesuai kebutuhan logistik saat ini."),
                )  # fmt: skip
            made = create_consignments(actor=request.user, election=election)
            messages.success(request, _("%(n)s konsinyasi dibuat dari kebutuhan logistik.") % {"n": made})
        return redirect("logistics:board", slug=slug)
    require(request.user, Perm.VIEW_LOGISTICS)  # before the area is read: an account with none is refused
    viewer, chosen = request.user, {}
    if is_wide(request.user):
        # A province or national viewer: one district's board at a time (a TPS per row), its own H-1.
        district = district_views.page_district(request, election)
        if district is None:
            return district_views.choose(request, election, _("Status logistik per TPS"))
        viewer, chosen = request.user.narrowed_to(district), district_views.context_of(request, election, district)
    as_of = local_moment(election, request.GET.get("pada", ""), election.zone_for(viewer.area_code))
    if request.GET.get("pada") and as_of is None:
        messages.error(request, _("Waktu tidak dikenal: gunakan bentuk 2024-02-13T12:00."))
    board = board_for(viewer, election, as_of)
    names = dict(Region.objects.filter(code__in=list(board.by_kecamatan) + list(board.by_village)).values_list("code", "name"))
    shown = request.GET.get("status", "")
    context = {
        "election": election,
        "board": board,
        "kecamatan": [(names.get(code, code), counts) for code, counts in board.by_kecamatan.items()],
        "villages": [(names.get(code, code), counts) for code, counts in board.by_village.items()],
        "sections": _sections(board, names, shown),
        "shown": shown,
        "may_manage": can(request.user, Perm.MANAGE_LOGISTICS),
        "returns": _return_counts(viewer, election),
        "viewer": viewer,  # the clock and area of the board: the chosen district's for a wider viewer
        "without_consignment": sum(1 for row in board.rows if row.consignment_id is None),
        **chosen,
    }
    return render(request, "logistics/board.html", context)


def _sections(board, names: dict[str, str], shown: str) -> list[dict]:
    """The TPS rows per kecamatan (code, name, counts, rows), in the board's order: the page folds
    each kecamatan (a district has hundreds of TPS; on a phone the whole list was metres long)."""
    sections: dict[str, dict] = {}
    for row in board.rows:
        code = codes.kecamatan_of(row.village_code)
        section = sections.setdefault(code, {"code": code, "name": names.get(code, code), "counts": board.by_kecamatan.get(code, {}), "rows": []})
        if not shown or row.status == shown:
            section["rows"].append(row)
    return list(sections.values())


def _return_counts(user, election) -> list[tuple[str, int]]:
    """The return leg: consignments back by state (label, count)."""
    rows = Consignment.objects.filter(election=election, direction=Consignment.Direction.BACK, station__in=stations_visible_to(user, election).values("pk"))
    counts = {state: n for state, n in rows.values_list("state").annotate(n=Count("pk")).values_list("state", "n")}
    return [(label, counts[value]) for value, label in Consignment.State.choices if counts.get(value)]


@login_required
@require_GET
def board_layer(request, slug):
    """Per visible TPS: its logistics status (for the map)."""
    board = board_for(request.user, election_by_slug(slug))
    return JsonResponse({str(row.station_id): {"status": row.status, "detail": row.detail} for row in board.rows})


@login_required
def consignment_page(request, slug, pk, via=Handover.Via.WEB):
    election = election_by_slug(slug)
    consignment = _consignment(request.user, election, pk)
    names = dict(KitItem.objects.filter(election=election).values_list("code", "name"))
    handovers = list(consignment.handovers.select_related("recorded_by").prefetch_related("discrepancies"))
    held = handovers[-1].counts if handovers else consignment.contents
    labels = party_labels({consignment.holder, *next_parties(consignment), *(h.from_party for h in handovers), *(h.to_party for h in handovers)})
    posted = request.POST if request.method == "POST" else None
    dispatch_form = DispatchForm(posted if posted and "dispatch" in posted else None)
    # A time typed at the handover is read on the clock of the TPS the kit goes to (WIT in Papua).
    with timezone.override(election.zone_at(consignment.station.village_id)):
        handover_form = HandoverForm(
            posted if posted and "handover" in posted else None,
            request.FILES or None,
            parties=[(p, labels[p]) for p in next_parties(consignment)],
            items=[(code, names.get(code, code), held.get(code, count)) for code, count in consignment.contents.items()],
            seals=consignment.seals,
            initial={"handed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
        )
        if posted:
            require(request.user, Perm.MANAGE_LOGISTICS)
            try:
                if dispatch_form.is_bound and dispatch_form.is_valid():
                    dispatch(actor=request.user, consignment=consignment, seals=dispatch_form.cleaned_data["seals"])
                    messages.success(request, _("Pengiriman dicatat."))
                    return redirect("logistics:consignment", slug=slug, pk=pk)
                if handover_form.is_bound and handover_form.is_valid():
                    data = handover_form.cleaned_data
                    reported = [Reported(data["finding_kind"], data["finding_item"], data["finding_quantity"], data["finding_note"])] if data.get("finding_kind") else []
                    handover = record_handover(
                        actor=request.user,
                        consignment=consignment,
                        from_party=consignment.holder,
                        to_party=data["to_party"],
                        place=data["place"],
                        giver_name=data["giver_name"],
                        receiver_name=data["receiver_name"],
                        counts=handover_form.counts(),
                        seals=handover_form.seal_list(),
                        handed_at=data["handed_at"],
                        witness_bawaslu=data["witness_bawaslu"],
                        witness_police=data["witness_police"],
                        reported=reported,
                        photo=data.get("photo"),
                        via=request.POST.get("via") if request.POST.get("via") in Handover.Via.values else via,
                    )
                    messages.success(request, _("Serah terima ke-%(n)s dicatat.") % {"n": handover.sequence})
                    return redirect("logistics:consignment", slug=slug, pk=pk)
            except (CustodyConflict, ValidationError) as error:
                target = handover_form if handover_form.is_bound else dispatch_form
                target.add_error(None, getattr(error, "messages", [str(error)])[0])
    context = {
        "election": election,
        "consignment": consignment,
        "holder_label": labels[consignment.holder],
        "items": [(code, names.get(code, code), count, held.get(code, count)) for code, count in consignment.contents.items()],
        "item_names": names,
        "handovers": [(h, labels.get(h.from_party, h.from_party), labels.get(h.to_party, h.to_party)) for h in handovers],
        "dispatch_form": dispatch_form if consignment.state == Consignment.State.PLANNED else None,
        "handover_form": handover_form if next_parties(consignment) and consignment.state != Consignment.State.PLANNED else None,
        "may_manage": can(request.user, Perm.MANAGE_LOGISTICS),
        "via": via,
        "other": Consignment.objects.filter(station=consignment.station).exclude(pk=consignment.pk).first(),
        "qr_svg": documents.qr_svg(absolute_url(request, reverse("logistics:qr", args=[token_for("c", consignment.pk)]))),
    }
    bound = [f for f in (dispatch_form, handover_form) if f.is_bound]
    return render(request, "logistics/consignment.html", context, status=409 if bound and bound[0].non_field_errors() else (400 if bound and bound[0].errors else 200))


@login_required
def qr_open(request, token):
    """A scanned QR code: the signed token names the record; the user must still be allowed to see it."""
    kind, pk = resolve_token(token)
    if kind == "c":
        consignment = get_object_or_404(Consignment.objects.select_related("election"), pk=pk)
        if not can(request.user, Perm.VIEW_LOGISTICS) or not stations_visible_to(request.user, consignment.election).filter(pk=consignment.station_id).exists():
            raise PermissionDenied("not yours")
        return consignment_page(request, consignment.election.slug, pk, via=Handover.Via.QR)
    if kind == "h":
        handover = get_object_or_404(Handover.objects.select_related("consignment__election"), pk=pk)
        c = handover.consignment
        _consignment(request.user, c.election, c.pk)
        return redirect(f"{reverse('logistics:consignment', args=[c.election.slug, c.pk])}#serah-terima-{handover.sequence}")
    if kind == "k":
        plan_id, convoy_id = pk
        plan = get_object_or_404(DistributionPlan.objects.select_related("election"), pk=plan_id)
        require(request.user, Perm.VIEW_LOGISTICS)
        return redirect(f"{reverse('logistics:distribution', args=[plan.election.slug])}?kabupaten={plan.district_id}#konvoi-{convoy_id}")
    raise Http404("unknown record")


@login_required
@require_GET
def handover_pdf(request, slug, pk, sequence):
    election = election_by_slug(slug)
    consignment = _consignment(request.user, election, pk)
    handover = get_object_or_404(Handover, consignment=consignment, sequence=sequence)
    url = absolute_url(request, reverse("logistics:qr", args=[token_for("h", handover.pk)]))
    response = HttpResponse(documents.handover_pdf(handover, url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="berita-acara-{consignment.station.village_id}-{consignment.station.number:03d}-{sequence}.pdf"'
    return response


@login_required
@require_GET
def manifest_pdf(request, slug, convoy_id):
    election = election_by_slug(slug)
    district = district_views.page_district(request, election)
    visible = plan_for(request.user, election, district) if district else None
    convoy = visible.convoy(convoy_id) if visible else None
    if convoy is None:
        raise Http404("no such convoy, or none carrying a kit of the user's area")
    plan = visible.plan
    consignments = {c.station_id: c for c in Consignment.objects.filter(election=election, direction=Consignment.Direction.OUT, station_id__in=convoy.station_ids)}
    qr = {
        sid: documents.qr_png(absolute_url(request, reverse("logistics:qr", args=[token_for("c", consignments[sid].pk)])), scale=4)
        for stop in convoy.stops
        for sid in stop.station_ids
        if sid in consignments
    }
    url = absolute_url(request, reverse("logistics:qr", args=[token_for("k", [plan.pk, convoy_id])]))
    response = HttpResponse(documents.manifest_pdf(election, plan, convoy, consignments, qr, url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="surat-jalan-{convoy_id}.pdf"'
    return response



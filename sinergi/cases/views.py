"""Pages of cases: the public report page (no login) and its tracking page; the staff's list,
case page with its deadlines, steps and documents; findings; extra days off."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.permissions import Perm, can, require
from sinergi.cases import documents, queries, services, workflow
from sinergi.cases.forms import CaseFactsForm, DayOffForm, EvidenceForm, PublicReportForm, StepForm, TrackForm
from sinergi.cases.models import Case, DayOff
from sinergi.core.links import absolute_url
from sinergi.core.ratelimits import throttled
from sinergi.elections.models import Election
from sinergi.elections.queries import election_by_slug
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import villages_within, within
from sinergi.stations.models import Station
from sinergi.supervisors.models import Incident


def _villages(election: Election, area_code: str | None = None):
    """The villages a case of `election` can be placed in: those with its TPS (in the area)."""
    with_stations = Station.objects.filter(election=election).values("village_id")
    return Region.objects.filter(within("code", area_code), level=codes.VILLAGE, code__in=with_stations).select_related("parent").order_by("parent__name", "name")


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (unknown names go on top)."""
    for field, messages_ in (error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]):
        form.add_error(field if field in form.fields else None, messages_)


# --- Public ----------------------------------------------------------------------------------


def public_home(request):
    """Choose the election to report on, or look up a report by its tracking code."""
    elections = Election.objects.order_by("-voting_date")
    return render(request, "cases/public_home.html", {"elections": elections, "track_form": TrackForm()})


@throttled("public-report", "RATE_LIMIT_PUBLIC_REPORTS", method="POST")
def public_report(request, slug):
    election = election_by_slug(slug)
    villages = _villages(election)
    form = PublicReportForm(request.POST or None, request.FILES or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.file_public_report(election=election, source=data["source"], region_code=data["region"], facts=form.facts(), evidence=data["evidence"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            request.session["filed_case"] = case.tracking_code
            return redirect("cases:public_status", code=case.tracking_code)
    return render(request, "cases/public_report.html", {"election": election, "form": form, "public": True})


@throttled("tracking", "RATE_LIMIT_TRACKING")
def public_track(request):
    form = TrackForm(request.GET or None)
    if form.is_valid():
        case = queries.by_tracking_code(form.cleaned_data["code"])
        if case is not None:
            return redirect("cases:public_status", code=case.tracking_code)
        if queries.is_finding_code(form.cleaned_data["code"]):
            form.add_error("code", _("Kode ini milik temuan pengawas pemilu, bukan laporan masyarakat: statusnya tidak diumumkan di halaman ini. Tanyakan kepada Bawaslu dengan menyebutkan kode ini."))
        else:
            form.add_error("code", _("Kode tidak ditemukan. Periksa kembali: 8 huruf/angka setelah LP-, tanpa 0, O, 1, I, L."))
    return render(request, "cases/public_track.html", {"form": form})


@throttled("tracking", "RATE_LIMIT_TRACKING")
def public_status(request, code):
    case = queries.by_tracking_code(code)
    if case is None:
        raise Http404("Kode pelacakan tidak ditemukan.")
    if code != case.tracking_code:  # typed into the address bar in lower case or without dashes
        return redirect("cases:public_status", code=case.tracking_code, permanent=True)
    steps = queries.public_steps(case)
    status = steps[-1].get_to_status_display() if steps else case.Status.RECEIVED.label
    filing, late = services.filing_deadline(case)
    just_filed = request.session.pop("filed_case", None) == case.tracking_code
    return render(
        request,
        "cases/public_status.html",
        {"case": case, "steps": steps, "status": status, "filing": filing, "late": late, "just_filed": just_filed, "zone": case.time_zone},
    )


@throttled("tracking", "RATE_LIMIT_TRACKING")
def public_receipt(request, code):
    case = queries.by_tracking_code(code)
    if case is None:
        raise Http404("Kode pelacakan tidak ditemukan.")
    filing, late = services.filing_deadline(case)
    urls = {"status_url": absolute_url(request, reverse("cases:public_status", args=[case.tracking_code])), "track_url": absolute_url(request, reverse("cases:public_track"))}
    response = HttpResponse(documents.receipt_pdf(case, filing, late, **urls), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-terima-{case.tracking_code}.pdf"'
    return response


# --- Staff -----------------------------------------------------------------------------------


def _today(election: Election) -> date:
    return timezone.localtime(timezone.now(), ZoneInfo(election.time_zone)).date()


def countdown(case: Case, deadline) -> dict | None:
    """The running deadline as a badge: time left, the last day, or how late."""
    if deadline is None:
        return None
    zone = case.time_zone
    if isinstance(deadline.due, datetime):
        left = deadline.due - timezone.now()
        hours = int(left.total_seconds() // 3600)
        due = timezone.localtime(deadline.due, zone)
        if hours < 0:
            return {"css": "belum", "text": _("terlambat %(h)s jam (batas %(due)s)") % {"h": -hours, "due": f"{due:%d-%m-%Y %H.%M}"}}
        return {"css": "sebagian", "text": _("%(h)s jam lagi (batas %(due)s)") % {"h": hours, "due": f"{due:%d-%m-%Y %H.%M}"}}
    days = deadline.days_left(_today(case.election))
    due = f"{deadline.due:%d-%m-%Y}"
    if days < 0:
        return {"css": "belum", "text": _("terlambat %(n)s hari (batas %(due)s)") % {"n": -days, "due": due}}
    if days == 0:
        return {"css": "sebagian", "text": _("hari terakhir: hari ini (%(due)s)") % {"due": due}}
    return {"css": "lengkap", "text": _("%(n)s hari lagi (batas %(due)s)") % {"n": days, "due": due}}


@login_required
def case_list(request, slug):
    election = election_by_slug(slug)
    cases = queries.cases_for(request.user, election).prefetch_related("steps")
    status = request.GET.get("status", "")
    if status in Case.Status.values:
        cases = cases.filter(status=status)
    rows = []
    days_off = services.all_days_off()
    for case in cases[:500]:
        deadline = services.running_deadline(case, list(case.steps.all()), days_off)
        rows.append({"case": case, "deadline": deadline, "countdown": countdown(case, deadline)})
    return render(
        request,
        "cases/list.html",
        {"election": election, "rows": rows, "status": status, "statuses": Case.Status.choices, "may_record": can(request.user, Perm.RECORD_FINDINGS)},
    )


@login_required
def new_finding(request, slug):
    """A supervisor's finding (temuan), in the supervisor's area."""
    election = election_by_slug(slug)
    require(request.user, Perm.RECORD_FINDINGS)
    form = CaseFactsForm(request.POST or None, request.FILES or None, villages=_villages(election, request.user.area_code))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.record_finding(actor=request.user, election=election, region_code=data["region"], facts=form.facts(), evidence=data["evidence"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Temuan dicatat: %(code)s.") % {"code": case.tracking_code})
            if can(request.user, Perm.VIEW_CASES):
                return redirect("cases:detail", slug=slug, pk=case.pk)
            return redirect("cases:new_finding", slug=slug)
    return render(request, "cases/finding.html", {"election": election, "form": form})


@login_required
@require_POST
def from_incident(request, slug, incident_pk):
    """A finding prefilled from a voting-day incident of the coverage board (the supervisor's area)."""
    election = election_by_slug(slug)
    require(request.user, Perm.RECORD_FINDINGS)
    incident = Incident.objects.filter(election=election, pk=incident_pk).filter(villages_within("station__village__code", request.user.area_code)).select_related("station", "election").first()
    if incident is None:
        raise Http404("Kejadian tidak ada atau di luar wilayah Anda.")
    existing = incident.cases.first()
    case = existing or services.finding_from_incident(actor=request.user, incident=incident)
    if existing:
        messages.info(request, _("Kejadian ini sudah menjadi temuan %(code)s.") % {"code": case.tracking_code})
    else:
        messages.success(request, _("Temuan dicatat dari kejadian: %(code)s. Lengkapi terlapor dan saksi.") % {"code": case.tracking_code})
    if can(request.user, Perm.VIEW_CASES):
        return redirect("cases:detail", slug=slug, pk=case.pk)
    return redirect("supervisors:coverage", slug=slug)


@login_required
def case_detail(request, slug, pk):
    election = election_by_slug(slug)
    case = queries.case_for(request.user, election, pk)
    steps = queries.steps_for(request.user, case)
    all_steps = list(case.steps.all())
    deadline = services.running_deadline(case, all_steps)
    filing, late = services.filing_deadline(case)
    kind = request.user.agency.kind if request.user.agency_id else None
    actions = [a for a in workflow.available(case.status, kind) if can(request.user, Perm.GAKKUMDU if a.deliberation else services.STEP_PERM[a.agency])]
    return render(
        request,
        "cases/detail.html",
        {
            "election": election,
            "case": case,
            "steps": steps,
            "deadline": deadline,
            "deadline_end": services.deadline_end(case, deadline) if deadline else None,
            "countdown": countdown(case, deadline),
            "deadlines": services.deadlines_of(case),
            "filing": filing,
            "late": late,
            "actions": actions,
            "form": StepForm(initial={"outcome": "", **{f"check_{code}": value for code, value in case.checklist.items()}}),
            "checklist": [(label, case.checklist.get(code, False)) for code, label in workflow.CHECKLIST],
            "evidence": case.evidence.all() if can(request.user, Perm.VIEW_CASES) or can(request.user, Perm.GAKKUMDU) else [],
            "evidence_form": EvidenceForm() if can(request.user, Perm.HANDLE_CASES) else None,
            "reminders": [(r, workflow.REMINDER_LABEL[r.kind]) for r in case.reminders.filter(superseded=False)],
            "witnesses": case.witnesses,
            "zone": ZoneInfo(election.time_zone),
        },
    )


@login_required
@require_POST
def take_step(request, slug, pk):
    election = election_by_slug(slug)
    case = queries.case_for(request.user, election, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Langkah tidak dikenal."))
        return redirect("cases:detail", slug=slug, pk=pk)
    data = form.cleaned_data
    checklist = form.checklist() if data["action"] == "registrasi" else None
    try:
        step = services.take_step(actor=request.user, case=case, action=data["action"], note=data["note"], outcome=data["outcome"], checklist=checklist)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Langkah dicatat: %(label)s.") % {"label": workflow.ACTIONS[step.action].label})
    return redirect("cases:detail", slug=slug, pk=pk)


@login_required
@require_POST
def add_evidence(request, slug, pk):
    election = election_by_slug(slug)
    case = queries.case_for(request.user, election, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            stored = services.add_evidence(actor=request.user, case=case, uploads=form.cleaned_data["evidence"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(n)s berkas bukti ditambahkan.") % {"n": len(stored)})
    else:
        messages.error(request, _("Pilih berkas bukti."))
    return redirect("cases:detail", slug=slug, pk=pk)


@login_required
def evidence_file(request, slug, pk, evidence_pk):
    election = election_by_slug(slug)
    case = queries.case_for(request.user, election, pk)
    evidence = get_object_or_404(case.evidence, pk=evidence_pk)
    # The uploader's name, with the extension of the type found by decoding (the stored file's).
    filename = evidence.name.rsplit(".", 1)[0] + "." + evidence.file.name.rsplit(".", 1)[-1]
    return FileResponse(evidence.file.open("rb"), content_type=evidence.content_type, filename=filename, as_attachment=evidence.content_type == "application/pdf")


@login_required
def step_document(request, slug, pk, step_pk):
    election = election_by_slug(slug)
    case = queries.case_for(request.user, election, pk)
    step = next((s for s in queries.steps_for(request.user, case) if s.pk == step_pk), None)
    if step is None:
        raise Http404("Langkah tidak ada.")
    pdf = documents.step_pdf(case, step)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.tracking_code}-{step.action}.pdf"'
    return response


@login_required
def days_off(request):
    require(request.user, Perm.MANAGE_DAYS_OFF)
    area = request.user.area_code
    regions = Region.objects.filter(within("code", area), level__lte=codes.KECAMATAN).order_by("code") if area else Region.objects.filter(level__lte=codes.DISTRICT).order_by("code")
    form = DayOffForm(request.POST or None, regions=regions)
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                services.remove_day_off(actor=request.user, day=date.fromisoformat(request.POST["remove"]), region_code=request.POST.get("remove_region", ""))
                messages.success(request, _("Hari libur tambahan dihapus."))
                return redirect("cases:days_off")
            if form.is_valid():
                data = form.cleaned_data
                services.add_day_off(actor=request.user, day=data["day"], reason=data["reason"], region_code=data["region"])
                messages.success(request, _("Hari libur tambahan disimpan."))
                return redirect("cases:days_off")
        except (ValidationError, ValueError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    rows = DayOff.objects.select_related("region").order_by("-day")
    if area is not None:
        rows = rows.filter(Q(region__isnull=True) | within("region__code", area))
    return render(request, "cases/days_off.html", {"form": form, "rows": rows})

"""Pages and endpoints of voting-day reports: Form A on the web and its PDF, the checklists, the
coverage board, the SMS webhook and the offline field app."""

import hmac
import re
import uuid
from collections import Counter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sinergi.accounts.permissions import Perm, can, require
from sinergi.core.writing import write_xlsx_sheets
from sinergi.elections.queries import election_by_slug, local_moment
from sinergi.notifications.queries import awaiting_acknowledgement
from sinergi.regions.models import Region
from sinergi.regions.queries import zone_label
from sinergi.stations.queries import stations_visible_to
from sinergi.supervisors import documents, sealing, sms
from sinergi.supervisors.checklists import save_question
from sinergi.supervisors.coverage import coverage_for, station_status
from sinergi.supervisors.forms import QuestionForm, ReportForm
from sinergi.supervisors.models import Assignment, Incident, Question, Report
from sinergi.supervisors.queries import active_ptps_post, own_incidents, ptps_contacts
from sinergi.supervisors.reports import ReportConflict, submit_incident, submit_report


def _stage(request) -> str:
    stage = request.GET.get("tahap", Question.Stage.PREPARATION)
    return stage if stage in Question.Stage.values else Question.Stage.PREPARATION


def _as_of(request, election):
    return local_moment(election, request.GET.get("pada", ""), election.zone_for(request.user.area_code))


@login_required
def coverage_page(request, slug):
    """Which TPS have reported a stage: numbers, per kecamatan and village, alerts, incidents.
    The board refreshes itself every 30 seconds (htmx), without reloading the page."""
    election = election_by_slug(slug)
    stage = _stage(request)
    coverage = coverage_for(request.user, election, stage, _as_of(request, election))
    names = dict(Region.objects.filter(code__in=list(coverage.by_kecamatan) + list(coverage.by_village)).values_list("code", "name"))
    context = {
        "election": election,
        "coverage": coverage,
        "stages": Question.Stage.choices,
        "stage_label": Question.Stage(stage).label,
        "percent": round(100 * len(coverage.reported) / coverage.total) if coverage.total else 0,
        "kecamatans": [(names.get(c, c), counts) for c, counts in coverage.by_kecamatan.items()],
        "villages": [(names.get(c, c), counts) for c, counts in coverage.by_village.items()],
        "late": _late_with_contacts(request.user, election, coverage.missing[:LATE_LISTED]),
        "query": request.GET.urlencode(),
    }
    template = "supervisors/coverage_board.html" if request.headers.get("HX-Request") else "supervisors/coverage.html"
    return render(request, template, context)


LATE_LISTED = 100  # late TPS listed one by one on the board


def _late_with_contacts(user, election, stations) -> list[tuple]:
    """(TPS, its PTPS or None) for each late TPS listed: whom to call (one query for all)."""
    contacts = ptps_contacts(user, election, [s.pk for s in stations])
    return [(s, contacts.get(s.pk)) for s in stations]


@login_required
def station_status_page(request, slug, pk):
    """The voting day of one TPS: each Form A stage reported or not, the answers that bear on
    security (every answer and the Form A PDFs for Bawaslu), the incidents and whom to call. For
    the police as for Bawaslu, without personal data; 404 for a TPS outside the viewer's area."""
    election = election_by_slug(slug)
    status = station_status(request.user, election, pk, _as_of(request, election))
    ptps = ptps_contacts(request.user, election, [status.station.pk]).get(status.station.pk)
    area = request.user.area_code
    # The TPS page reads the user's own area: a Polsek does not open there a TPS it only guards.
    on_station_page = area is None or status.station.village_id == area or status.station.village_id.startswith(area + ".")
    context = {"election": election, "status": status, "station": status.station, "ptps": ptps, "on_station_page": on_station_page}
    return render(request, "supervisors/station_status.html", context)


@login_required
def coverage_layer(request, slug):
    """Per visible TPS: whether it has reported the stage, and its incidents (for the map)."""
    election = election_by_slug(slug)
    coverage = coverage_for(request.user, election, _stage(request), _as_of(request, election), concerns=False)
    incidents = Counter(i.station_id for i in coverage.incidents)
    return JsonResponse({str(s.pk): {"reported": s.pk in coverage.reported, "incidents": incidents.get(s.pk, 0)} for s in coverage.stations})


@login_required
def coverage_xlsx(request, slug):
    election = election_by_slug(slug)
    tz = ZoneInfo(election.time_zone)
    sheets = []
    for stage, label in Question.Stage.choices:
        coverage = coverage_for(request.user, election, stage, _as_of(request, election), concerns=False)
        rows = [
            [s.village.parent_id, s.village.parent.name, s.village_id, s.village.name, s.number, "ya" if s.pk in coverage.reported else "tidak",
             timezone.localtime(coverage.reported[s.pk], tz).strftime("%Y-%m-%d %H:%M") if s.pk in coverage.reported else ""]
            for s in coverage.stations
        ]  # fmt: skip
        sheets.append((label, ["kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa", "nomor_tps", "sudah_lapor", "waktu_laporan"], rows))
    incidents = coverage_for(request.user, election, Question.Stage.TRANSFER, _as_of(request, election), concerns=False).incidents
    sheets.append(
        (
            "Kejadian",
            ["waktu", "tps", "kategori", "tingkat", "uraian"],
            [
                [
                    timezone.localtime(i.occurred_at, tz).strftime("%Y-%m-%d %H:%M"),
                    str(i.station),
                    i.get_category_display(),
                    i.get_severity_display(),
                    i.description,
                ]
                for i in incidents
            ],
        )
    )
    response = HttpResponse(write_xlsx_sheets(sheets), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="laporan-pengawas-{election.slug}.xlsx"'
    return response


@login_required
def station_reports_page(request, slug, pk):
    """Form A for one TPS on a phone: pick the stage, answer its checklist, send. The reports
    already filed for the TPS are listed with their numbers."""
    election = election_by_slug(slug)
    require(request.user, Perm.FILE_REPORTS)
    station = get_object_or_404(stations_visible_to(request.user, election), pk=pk)
    stage = _stage(request)
    questions = list(Question.objects.filter(election=election, stage=stage))
    tz = ZoneInfo(election.time_zone)
    with timezone.override(tz):
        form = ReportForm(
            request.POST or None,
            questions=questions,
            initial={"client_id": uuid.uuid4(), "observed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
        )
        if request.method == "POST" and form.is_valid():
            try:
                report, created = submit_report(
                    actor=request.user,
                    station=station,
                    stage=stage,
                    client_id=form.cleaned_data["client_id"],
                    answers=form.answers(),
                    narrative=form.cleaned_data["narrative"],
                    observed_at=form.cleaned_data["observed_at"],
                )
            except (ValidationError, ReportConflict) as error:
                for message in getattr(error, "messages", [str(error)]):
                    form.add_error(None, message)
            else:
                text = _("Laporan %(number)s terkirim.") if created else _("Laporan %(number)s sudah diterima sebelumnya.")
                messages.success(request, text % {"number": sealing.numbered(report).number})
                return redirect(f"{reverse('supervisors:station_reports', args=[slug, pk])}?tahap={stage}")
    context = {
        "election": election,
        "station": station,
        "stage": stage,
        "stages": Question.Stage.choices,
        "form": form,
        "reports": Report.objects.filter(station=station).select_related("station", "election").order_by("-observed_at"),
    }
    return render(request, "supervisors/station_reports.html", context, status=400 if form.errors else 200)


@login_required
def checklist_page(request, slug):
    """The election's Form A checklists per stage; Bawaslu (for the whole election) adds
    questions and changes their wording, requirement and order."""
    election = election_by_slug(slug)
    require(request.user, Perm.VIEW_SUPERVISORS)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        require(request.user, Perm.MANAGE_SUPERVISORS)
        if form.is_valid():
            try:
                question = save_question(actor=request.user, election=election, **form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Pertanyaan %(code)s disimpan.") % {"code": question.code})
                return redirect("supervisors:checklists", slug=slug)
    questions = Question.objects.filter(election=election)
    stages = [(label, [q for q in questions if q.stage == value]) for value, label in Question.Stage.choices]
    context = {"election": election, "stages": stages, "form": form, "may_manage": can(request.user, Perm.MANAGE_SUPERVISORS)}
    return render(request, "supervisors/checklists.html", context, status=400 if form.errors else 200)


@login_required
def form_a_pdf(request, slug, pk):
    """The printable Form A of one report: for those who read reports in the TPS's area, and
    for the supervisor who filed it."""
    election = election_by_slug(slug)
    report = get_object_or_404(Report.objects.select_related("election", "station__village__parent"), pk=pk, election=election)
    if report.filed_by_id != request.user.pk:
        require(request.user, Perm.VIEW_REPORTS)
        get_object_or_404(stations_visible_to(request.user, election), pk=report.station_id)
    response = HttpResponse(documents.form_a_pdf(sealing.numbered(report)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="form-a-{report.pk:05d}.pdf"'
    return response


def _digits(phone: str) -> str:
    """08123… and +628123… are the same number."""
    digits = re.sub(r"\D", "", phone)
    return "0" + digits[2:] if digits.startswith("62") else digits


@csrf_exempt
@require_POST
def sms_webhook(request):
    """An SMS gateway posts each message here (id, from, text, and the shared token); the answer
    is the reply to send back. Idempotent on the gateway's message id; a message that cannot be
    understood stores nothing and gets a reply saying why."""
    token = settings.SMS_WEBHOOK_TOKEN
    given = request.headers.get("X-Sinergi-Token", "")
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        return JsonResponse({"detail": "token salah atau SMS tidak diaktifkan"}, status=403)
    message_id, sender, text = request.POST.get("id", "")[:100], request.POST.get("from", "")[:30], request.POST.get("text", "")[:1000]
    if not message_id or not sender:
        return JsonResponse({"detail": "id dan from wajib"}, status=400)
    number = _digits(sender)
    posts = [
        a
        # Narrowed in SQL by the last 8 digits, compared exactly here (08… and +628… alike).
        for a in Assignment.objects.filter(role=Assignment.Role.PTPS, status__in=Assignment.ACTIVE, supervisor__phone__endswith=number[-8:]).select_related(
            "supervisor", "station__election"
        )
        if len(number) >= 8 and _digits(a.supervisor.phone) == number
    ]
    if len(posts) != 1:
        return JsonResponse({"status": "error", "reply": "Nomor ini tidak terdaftar sebagai PTPS aktif. Hubungi PKD atau Panwascam."})
    station = posts[0].station
    checklists: dict[str, list] = {}
    for q in Question.objects.filter(election=station.election):
        checklists.setdefault(q.stage, []).append((q.code, q.text, q.kind, q.required))
    try:
        parsed = sms.parse(text, checklists)
        client_id = sms.client_id_for(message_id)
        if isinstance(parsed, sms.SmsReport):
            # A message the gateway sends again keeps the time of its first arrival (else it would differ: 409).
            observed_at = Report.objects.filter(client_id=client_id).values_list("observed_at", flat=True).first() or timezone.now()
            report, created = submit_report(
                actor=None,
                station=station,
                stage=parsed.stage,
                client_id=client_id,
                answers=parsed.answers,
                narrative=parsed.narrative,
                observed_at=observed_at,
                via=Report.Via.SMS,
            )
            reply = f"Laporan {sealing.numbered(report).number} {'diterima' if created else 'sudah diterima sebelumnya'}. Terima kasih."
        else:
            occurred_at = Incident.objects.filter(client_id=client_id).values_list("occurred_at", flat=True).first() or timezone.now()
            incident, created = submit_incident(
                actor=None,
                station=station,
                client_id=client_id,
                category=parsed.category,
                severity=parsed.severity,
                occurred_at=occurred_at,
                description=parsed.description,
                via=Report.Via.SMS,
            )
            reply = f"Kejadian di {station} {'diterima' if created else 'sudah diterima sebelumnya'}. Terima kasih."
    except sms.SmsError as error:
        return JsonResponse({"status": "error", "reply": str(error)})
    except (ValidationError, ReportConflict) as error:
        return JsonResponse({"status": "error", "reply": " ".join(getattr(error, "messages", [str(error)]))})
    return JsonResponse({"status": "ok", "reply": reply})


@login_required
def field_app(request):
    """The PTPS's installable field app (Form A offline): one page, its script, a service worker."""
    require(request.user, Perm.FILE_REPORTS)
    post = active_ptps_post(request.user)
    zone = post.election.zone_at(post.station.village_id) if post else None  # the TPS's own clock
    context = {
        "stages": Question.Stage.choices,
        # The header follows the post's election, not the newest one; the app's times use its zone.
        "election": post.election if post else None,
        "zone_label": zone_label(zone) if post else "",
        "categories": Incident.Category.choices,
        "severities": Incident.Severity.choices,
        # Where the PTPS's own incidents stand and the police's answer (docs/incidents.md), rendered
        # here: the app's page is fetched network-first, so it is fresh whenever the phone is online.
        "own_incidents": own_incidents(request.user),
        # Broadcasts (docs/notifications.md) this PTPS has not yet acknowledged.
        "awaiting": awaiting_acknowledgement(request.user),
    }
    with timezone.override(zone if post else timezone.get_current_timezone()):
        return render(request, "supervisors/lapangan.html", context)


def field_app_worker(request):
    """The service worker, served from /lapangan/ so that it may control the app's pages."""
    context = {
        "version": FIELD_APP_VERSION,
        "app_url": reverse("supervisors:field_app"),
        "queue_url": static("sinergi/fieldqueue.js"),  # the offline queue lapangan.js uses
        "script_url": static("sinergi/lapangan.js"),
        "css_url": static("sinergi/sinergi.css"),
        "manifest_url": reverse("supervisors:field_manifest"),
    }
    response = render(request, "supervisors/lapangan_sw.js", context, content_type="text/javascript")
    response["Service-Worker-Allowed"] = reverse("supervisors:field_app")
    response["Cache-Control"] = "no-cache"
    return response


def field_app_manifest(request):
    return JsonResponse(
        {
            "name": "Sinergi — Laporan Pengawas TPS",
            "short_name": "Lapor TPS",
            "start_url": reverse("supervisors:field_app"),
            "scope": reverse("supervisors:field_app"),
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#12355b",
            "lang": "id",
            "icons": [{"src": static("sinergi/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
        },
        content_type="application/manifest+json",
    )


FIELD_APP_VERSION = "4"  # 3: the shell holds fieldqueue.js; 4: fieldqueue.js also queues broadcast acknowledgements

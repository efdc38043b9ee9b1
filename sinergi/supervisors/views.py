import hmac
import re
import uuid
from collections import Counter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sinergi.accounts.permissions import Perm, can, require
from sinergi.core.tabular import InputRejected, RowError, UnreadableFile, read_table, write_xlsx_sheets
from sinergi.elections.queries import election_by_slug, local_moment
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import within
from sinergi.stations.queries import stations_visible_to
from sinergi.supervisors import documents, sms
from sinergi.supervisors.coverage import coverage_for
from sinergi.supervisors.forms import QuestionForm, ReplaceForm, ReportForm, RosterImportForm, SessionForm, VenueForm
from sinergi.supervisors.inauguration import add_session, add_venue, check_in, invite, islands
from sinergi.supervisors.models import Assignment, Invitation, Question, Report, Session, Venue
from sinergi.supervisors.queries import gaps_for, roster_for
from sinergi.supervisors.reports import ReportConflict, save_question, submit_incident, submit_report
from sinergi.supervisors.services import Person, import_roster, mask_nik, replace, reveal_nik


@login_required
def roster_page(request, slug):
    """The roster of the user's area: status counts, the gap list first, then every post."""
    election = election_by_slug(slug)
    roster = roster_for(request.user, election)
    shown = request.GET.get("status", "")
    rows = roster.filter(status=shown) if shown in Assignment.Status.values else roster
    counts = dict(roster.order_by().values_list("status").annotate(n=Count("pk")))
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    context = {
        "election": election,
        "gaps": list(gaps_for(request.user, election)[:200]),
        "gap_count": gaps_for(request.user, election).count(),
        "counts": [(value, label, counts.get(value, 0)) for value, label in Assignment.Status.choices],
        "page": page,
        "rows": [(a, mask_nik(a.supervisor.nik)) for a in page],
        "shown": shown,
        "may_manage": can(request.user, Perm.MANAGE_SUPERVISORS),
    }
    return render(request, "supervisors/roster.html", context)


@login_required
def supervisor_page(request, slug, pk):
    """One post and its person (NIK masked; the full NIK on request, audited); replacing a PTPS."""
    election = election_by_slug(slug)
    assignment = get_object_or_404(roster_for(request.user, election), pk=pk)
    villages = Region.objects.filter(within("code", request.user.area_code), level=codes.VILLAGE).order_by("code")
    form = ReplaceForm(request.POST if "replace" in request.POST else None, villages=[(v.code, f"{v.name} ({v.code})") for v in villages])
    full_nik = None
    if request.method == "POST":
        if "reveal" in request.POST:
            full_nik = reveal_nik(actor=request.user, supervisor=assignment.supervisor)
        else:
            require(request.user, Perm.MANAGE_SUPERVISORS)
            if form.is_valid():
                data = form.cleaned_data
                person = Person(data["name"], data["nik"], data["birth_date"], data["sex"], data["education"], data["residence"], data["phone"], data["registered_on"], form.declarations())
                try:
                    new = replace(actor=request.user, assignment=assignment, person=person, reason=data["reason"])
                except (ValidationError, PermissionDenied) as error:
                    for message in getattr(error, "messages", [str(error)]):
                        form.add_error(None, message)
                else:
                    messages.success(request, _("%(name)s menggantikan %(old)s.") % {"name": new.supervisor.name, "old": assignment.supervisor.name})
                    return redirect("supervisors:detail", slug=slug, pk=new.pk)
    history = roster_for(request.user, election).filter(station=assignment.station) if assignment.station_id else []
    context = {
        "election": election,
        "assignment": assignment,
        "person": assignment.supervisor,
        "nik": full_nik or mask_nik(assignment.supervisor.nik),
        "revealed": full_nik is not None,
        "may_reveal": can(request.user, Perm.VIEW_PERSONAL_DATA),
        "form": form if can(request.user, Perm.MANAGE_SUPERVISORS) and assignment.status in Assignment.ACTIVE else None,
        "history": history,
    }
    return render(request, "supervisors/detail.html", context, status=400 if form.errors else 200)


@login_required
def import_page(request, slug):
    election = election_by_slug(slug)
    require(request.user, Perm.MANAGE_SUPERVISORS)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = import_roster(actor=request.user, election=election, table=read_table(upload.name, upload.read()))
        except UnreadableFile as error:
            errors = [RowError(None, None, str(error))]
        except InputRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(request, _("%(ok)s pengawas memenuhi syarat, %(no)s pendaftar belum memenuhi syarat.") % {"ok": counts["memenuhi_syarat"], "no": counts["pendaftar"]})
            return redirect("supervisors:roster", slug=slug)
    return render(request, "supervisors/import.html", {"election": election, "form": form, "errors": errors}, status=400 if errors else 200)




@login_required
def inauguration_page(request, slug):
    """Venues and sessions with invited and present counts; Bawaslu sets up venues and sessions
    and invites the rest."""
    election = election_by_slug(slug)
    require(request.user, Perm.VIEW_SUPERVISORS)
    may_manage = can(request.user, Perm.MANAGE_SUPERVISORS)
    tz = ZoneInfo(election.time_zone)
    venues = list(Venue.objects.filter(election=election, region__code__startswith=request.user.area_code or ""))
    places = Region.objects.filter(within("code", request.user.area_code), level__in=[codes.DISTRICT, codes.VILLAGE]).order_by("code")
    action = request.POST.get("action") if request.method == "POST" else None
    with timezone.override(tz):
        venue_form = VenueForm(request.POST if action == "venue" else None, regions=[(r.code, f"{r.name} ({r.code})") for r in places], islands=islands(election))
        session_form = SessionForm(request.POST if action == "session" else None, venues=[(v.pk, v.name) for v in venues])
        if action is not None:
            require(request.user, Perm.MANAGE_SUPERVISORS)
            try:
                if action == "invite":
                    counts = invite(actor=request.user, election=election)
                    messages.success(request, _("%(n)s pengawas diundang; %(m)s belum mendapat tempat.") % {"n": counts["diundang"], "m": counts["tanpa_tempat"]})
                    return redirect("supervisors:inauguration", slug=slug)
                if action == "venue" and venue_form.is_valid():
                    data = venue_form.cleaned_data
                    venue = add_venue(
                        actor=request.user, election=election, name=data["name"], region=places.get(code=data["region"]), island=data["island"],
                        capacity=data["capacity"], priority=data["priority"] or 0, latitude=data["latitude"], longitude=data["longitude"],
                    )  # fmt: skip
                    messages.success(request, _("Tempat %(name)s ditambahkan.") % {"name": venue.name})
                    return redirect("supervisors:inauguration", slug=slug)
                if action == "session" and session_form.is_valid():
                    venue = next(v for v in venues if str(v.pk) == session_form.cleaned_data["venue"])
                    add_session(actor=request.user, venue=venue, starts_at=session_form.cleaned_data["starts_at"])
                    messages.success(request, _("Jadwal pelantikan di %(name)s ditambahkan.") % {"name": venue.name})
                    return redirect("supervisors:inauguration", slug=slug)
            except ValidationError as error:
                form = venue_form if action == "venue" else session_form
                for message in error.messages:
                    form.add_error(None, message)
    sessions = (
        Session.objects.filter(venue__election=election)
        .select_related("venue")
        .annotate(invited=Count("invitations"), present=Count("invitations", filter=Q(invitations__checked_in_at__isnull=False)))
    )
    waiting = roster_for(request.user, election).filter(status__in=Assignment.ACTIVE, invitation__isnull=True).count()
    context = {
        "election": election, "sessions": sessions, "venues": venues, "waiting": waiting, "may_manage": may_manage,
        "venue_form": venue_form, "session_form": session_form, "tz_label": election.time_zone_label,
    }  # fmt: skip
    return render(request, "supervisors/inauguration.html", context, status=400 if venue_form.errors or session_form.errors else 200)


@login_required
def session_pdf(request, slug, pk, kind):
    election = election_by_slug(slug)
    require(request.user, Perm.MANAGE_SUPERVISORS)
    session = get_object_or_404(Session.objects.select_related("venue__election"), pk=pk, venue__election=election)
    if kind == "undangan":
        content = documents.invitations_pdf(session, lambda i: request.build_absolute_uri(reverse("supervisors:check_in", args=[documents.invitation_token(i)])))
    else:
        content = documents.attendance_pdf(session)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{kind}-pelantikan-{session.pk}.pdf"'
    return response


@login_required
def assignment_letter(request, slug, pk):
    election = election_by_slug(slug)
    assignment = get_object_or_404(roster_for(request.user, election), pk=pk)
    require(request.user, Perm.MANAGE_SUPERVISORS)
    response = HttpResponse(documents.assignment_letter_pdf(assignment), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="surat-tugas-{assignment.pk}.pdf"'
    return response


@login_required
def check_in_page(request, token):
    """What the scanner opens: the invitee, and a button to record attendance (Bawaslu staff)."""
    require(request.user, Perm.MANAGE_SUPERVISORS)
    try:
        pk = documents.invitation_from_token(token)
    except signing.BadSignature as error:
        raise PermissionDenied("Kode QR tidak sah.") from error
    invitation = get_object_or_404(Invitation.objects.select_related("assignment__supervisor", "assignment__station__village", "session__venue__election"), pk=pk)
    if request.method == "POST":
        try:
            check_in(actor=request.user, invitation=invitation)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("%(name)s hadir dan dilantik.") % {"name": invitation.assignment.supervisor.name})
        return redirect("supervisors:check_in", token=token)
    invitation.refresh_from_db()
    return render(request, "supervisors/check_in.html", {"invitation": invitation, "election": invitation.session.venue.election})


def _stage(request) -> str:
    stage = request.GET.get("tahap", Question.Stage.PREPARATION)
    return stage if stage in Question.Stage.values else Question.Stage.PREPARATION


def _as_of(request, election):
    return local_moment(election, request.GET.get("pada", ""))


@login_required
def coverage_page(request, slug):
    """Which TPS have reported a stage: numbers, per kecamatan and village, alerts, incidents.
    The board refreshes itself every 30 seconds (htmx), without reloading the page."""
    election = election_by_slug(slug)
    stage = _stage(request)
    coverage = coverage_for(request.user, election, stage, _as_of(request, election))
    names = dict(Region.objects.filter(code__in=list(coverage.by_district) + list(coverage.by_village)).values_list("code", "name"))
    context = {
        "election": election,
        "coverage": coverage,
        "stages": Question.Stage.choices,
        "stage_label": Question.Stage(stage).label,
        "percent": round(100 * len(coverage.reported) / coverage.total) if coverage.total else 0,
        "districts": [(names.get(c, c), counts) for c, counts in coverage.by_district.items()],
        "villages": [(names.get(c, c), counts) for c, counts in coverage.by_village.items()],
        "query": request.GET.urlencode(),
    }
    template = "supervisors/coverage_board.html" if request.headers.get("HX-Request") else "supervisors/coverage.html"
    return render(request, template, context)


@login_required
def coverage_layer(request, slug):
    """Per visible TPS: whether it has reported the stage, and its incidents (for the map)."""
    election = election_by_slug(slug)
    coverage = coverage_for(request.user, election, _stage(request), _as_of(request, election))
    incidents = Counter(i.station_id for i in coverage.incidents)
    return JsonResponse({str(s.pk): {"reported": s.pk in coverage.reported, "incidents": incidents.get(s.pk, 0)} for s in coverage.stations})


@login_required
def coverage_xlsx(request, slug):
    election = election_by_slug(slug)
    tz = ZoneInfo(election.time_zone)
    sheets = []
    for stage, label in Question.Stage.choices:
        coverage = coverage_for(request.user, election, stage, _as_of(request, election))
        rows = [
            [s.village.parent_id, s.village.parent.name, s.village_id, s.village.name, s.number, "ya" if s.pk in coverage.reported else "tidak",
             timezone.localtime(coverage.reported[s.pk], tz).strftime("%Y-%m-%d %H:%M") if s.pk in coverage.reported else ""]
            for s in coverage.stations
        ]  # fmt: skip
        sheets.append((label, ["kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa", "nomor_tps", "sudah_lapor", "waktu_laporan"], rows))
    incidents = coverage_for(request.user, election, Question.Stage.TRANSFER, _as_of(request, election)).incidents
    sheets.append(
        (
            "Kejadian",
            ["waktu", "tps", "kategori", "tingkat", "uraian"],
            [[timezone.localtime(i.occurred_at, tz).strftime("%Y-%m-%d %H:%M"), str(i.station), i.get_category_display(), i.get_severity_display(), i.description] for i in incidents],
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
                messages.success(request, text % {"number": report.number})
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
    response = HttpResponse(documents.form_a_pdf(report), content_type="application/pdf")
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
            report, created = submit_report(
                actor=None, station=station, stage=parsed.stage, client_id=client_id, answers=parsed.answers, narrative=parsed.narrative, observed_at=timezone.now(), via=Report.Via.SMS
            )
            reply = f"Laporan {report.number} {'diterima' if created else 'sudah diterima sebelumnya'}. Terima kasih."
        else:
            incident, created = submit_incident(
                actor=None, station=station, client_id=client_id, category=parsed.category, severity=parsed.severity, occurred_at=timezone.now(), description=parsed.description, via=Report.Via.SMS
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
    return render(request, "supervisors/lapangan.html", {"stages": Question.Stage.choices})


def field_app_worker(request):
    """The service worker, served from /lapangan/ so that it may control the app's pages."""
    context = {
        "version": FIELD_APP_VERSION,
        "app_url": reverse("supervisors:field_app"),
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


FIELD_APP_VERSION = "1"

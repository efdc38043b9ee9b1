"""Pages of the supervisors' roster and their inauguration. Voting-day reports: `report_views.py`."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import Perm, can, require
from sinergi.core import pending
from sinergi.core.confirm import ask, is_confirmed
from sinergi.core.links import absolute_url
from sinergi.core.params import text_param
from sinergi.core.tabular import read_table
from sinergi.elections.queries import election_by_slug
from sinergi.regions import codes
from sinergi.regions.codes import is_within
from sinergi.regions.models import Region
from sinergi.regions.queries import regions_within, within
from sinergi.supervisors import documents, field_logins
from sinergi.supervisors.field_login_views import sign_in_url
from sinergi.supervisors.forms import ReplaceForm, RosterImportForm, SessionForm, VenueForm
from sinergi.supervisors.inauguration import add_session, add_venue, check_in, invite, islands
from sinergi.supervisors.models import Assignment, Invitation, Session, Venue
from sinergi.supervisors.queries import field_code_summary, filtered_roster, gaps_for, roster_for, with_field_code
from sinergi.supervisors.services import ROSTER_KNOWN, ROSTER_REQUIRED, Person, import_roster, mask_nik, replace, reveal_nik

ROSTER_PAGE_SIZE = 50


@login_required
def roster_page(request, slug):
    """The roster of the user's area: status counts, the gap list first, then every post."""
    election = election_by_slug(slug)
    roster = roster_for(request.user, election)
    area = request.user.area_code
    kecamatan, village = text_param(request, "kecamatan"), text_param(request, "desa")
    if kecamatan and not village.startswith(kecamatan + "."):
        village = ""  # a village left over from another kecamatan
    shown = text_param(request, "status")
    shown = shown if shown in Assignment.Status.values else ""
    search = text_param(request, "q")
    rows = with_field_code(filtered_roster(request.user, election, search=search, region_code=village or kecamatan, status=shown))
    counts = dict(roster.order_by().values_list("status").annotate(n=Count("pk")))
    page = Paginator(rows, ROSTER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "election": election,
        "gaps": list(gaps_for(request.user, election)[:200]),
        "gap_count": gaps_for(request.user, election).count(),
        "counts": [(value, label, counts.get(value, 0)) for value, label in Assignment.Status.choices],
        "statuses": Assignment.Status.choices,
        "kecamatans": regions_within(area, level=Region.Level.KECAMATAN).only("code", "name"),
        "villages": regions_within(kecamatan, level=Region.Level.VILLAGE).only("code", "name") if kecamatan and (area is None or is_within(kecamatan, area)) else [],
        "filters": {"q": search, "kecamatan": kecamatan, "desa": village, "status": shown},
        "filtered": bool(search or kecamatan or shown),
        "page": page,
        "rows": [(a, mask_nik(a.supervisor.nik)) for a in page],
        "query": request.GET.copy(),
        "shown": shown,
        "may_manage": can(request.user, Perm.MANAGE_SUPERVISORS),
        "field_codes": field_code_summary(request.user, election, timezone.now()),
        "active_statuses": Assignment.ACTIVE,
    }
    return render(request, "supervisors/roster.html", context)


@login_required
def supervisor_page(request, slug, pk):
    """One post and its person (NIK masked; the full NIK on request, audited); replacing a PTPS."""
    election = election_by_slug(slug)
    assignment = get_object_or_404(roster_for(request.user, election), pk=pk)
    villages = Region.objects.filter(within("code", request.user.area_code), level=codes.VILLAGE).order_by("code")
    form = ReplaceForm(request.POST if "replace" in request.POST else None, villages=[(v.code, f"{v.name} ({v.code})") for v in villages])
    full_nik = shown_code = None
    if request.method == "POST":
        if "reveal" in request.POST:
            full_nik = reveal_nik(actor=request.user, supervisor=assignment.supervisor)
        elif "show_code" in request.POST:
            # To read it to the PTPS over the telephone; audited like every code handed out.
            try:
                shown_code = field_logins.codes_for(actor=request.user, election=election, posts=Assignment.objects.filter(pk=assignment.pk), purpose="tampil di layar").get(assignment.pk)
            except ValidationError as error:
                messages.error(request, error.messages[0])
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
        "may_manage": can(request.user, Perm.MANAGE_SUPERVISORS),
        "field_logins": list(assignment.field_logins.all()) if assignment.role == Assignment.Role.PTPS else None,
        "shown_code": shown_code,
        "active": assignment.status in Assignment.ACTIVE,
    }
    return render(request, "supervisors/detail.html", context, status=400 if form.errors else 200)


@login_required
def import_page(request, slug):
    election = election_by_slug(slug)
    require(request.user, Perm.MANAGE_SUPERVISORS)
    # Two steps: a preview with the count, then the confirmed import of the same file (core/pending.py).
    form = pending.upload_form(request, RosterImportForm)
    step = pending.import_in_two_steps(
        request, kind="pengawas", form=form,
        run=lambda filename, content, dry_run: import_roster(
            actor=request.user, election=election, table=read_table(filename, content, required=ROSTER_REQUIRED, known=ROSTER_KNOWN), dry_run=dry_run
        ),
    )  # fmt: skip
    if step.result is not None:
        counts = step.result
        messages.success(request, _("%(ok)s pengawas memenuhi syarat, %(no)s pendaftar belum memenuhi syarat.") % {"ok": counts["memenuhi_syarat"], "no": counts["pendaftar"]})
        return redirect("supervisors:roster", slug=slug)
    context = {"election": election, "form": form, "errors": step.errors, "preview": step.preview, "token": step.token}
    return render(request, "supervisors/import.html", context, status=400 if step.errors else 200)




@login_required
def inauguration_page(request, slug):
    """Venues and sessions with invited and present counts; Bawaslu sets up venues and sessions
    and invites the rest."""
    election = election_by_slug(slug)
    require(request.user, Perm.VIEW_SUPERVISORS)
    may_manage = can(request.user, Perm.MANAGE_SUPERVISORS)
    tz = ZoneInfo(election.time_zone)
    venues = list(Venue.objects.filter(election=election, region__code__startswith=request.user.area_code or ""))
    places = Region.objects.filter(within("code", request.user.area_code), level__in=[codes.KECAMATAN, codes.VILLAGE]).order_by("code")
    action = request.POST.get("action") if request.method == "POST" else None
    with timezone.override(tz):
        venue_form = VenueForm(request.POST if action == "venue" else None, regions=[(r.code, f"{r.name} ({r.code})") for r in places], islands=islands(election))
        session_form = SessionForm(request.POST if action == "session" else None, venues=[(v.pk, v.name) for v in venues])
        if action is not None:
            require(request.user, Perm.MANAGE_SUPERVISORS)
            try:
                if action == "invite":
                    waiting = roster_for(request.user, election).filter(status__in=Assignment.ACTIVE, invitation__isnull=True).count()
                    if waiting and not is_confirmed(request):
                        return ask(
                            request, election=election, count=waiting, back=reverse("supervisors:inauguration", args=[slug]), title=_("Undang pengawas ke pelantikan?"),
                            message=_("Setiap pengawas aktif yang belum diundang ditempatkan pada jadwal pelantikan di pulaunya selama kursi masih ada. Undangan yang dibuat tidak dibatalkan otomatis."),
                        )  # fmt: skip
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
        # Each invited PTPS's page carries its field code (issued now when it has none; audited).
        try:
            codes = field_logins.codes_for(actor=request.user, election=election, posts=Assignment.objects.filter(invitation__session=session), purpose="undangan pelantikan")
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("supervisors:inauguration", slug=slug)
        check_in_url = lambda i: absolute_url(request, reverse("supervisors:check_in", args=[documents.invitation_token(i)]))  # noqa: E731
        content = documents.invitations_pdf(session, check_in_url, codes, sign_in_url(request))
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
    # An active PTPS's letter carries its field code (issued now when it has none; audited).
    code = None
    if assignment.role == Assignment.Role.PTPS and assignment.status in Assignment.ACTIVE:
        try:
            code = field_logins.codes_for(actor=request.user, election=election, posts=Assignment.objects.filter(pk=assignment.pk), purpose="surat tugas").get(assignment.pk)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("supervisors:detail", slug=slug, pk=pk)
    content = documents.assignment_letter_pdf(assignment, code, sign_in_url(request))
    response = HttpResponse(content, content_type="application/pdf")
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

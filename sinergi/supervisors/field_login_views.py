"""Field sign-in codes on the web: the PTPS's sign-in page (/lapangan/masuk/), and Bawaslu's
actions on the roster (issue the missing codes, send them by SMS, print slips) and on a PTPS's
page (revoke, new code, send again). Each action is one view calling one service."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.permissions import Perm, require
from sinergi.core import jobs
from sinergi.core.confirm import ask, is_confirmed
from sinergi.core.links import absolute_url
from sinergi.core.ratelimits import throttled
from sinergi.elections.queries import election_by_slug
from sinergi.regions.queries import within
from sinergi.supervisors import field_logins
from sinergi.supervisors.models import Assignment
from sinergi.supervisors.queries import codes_not_sent, eligible_posts, roster_for, without_code
from sinergi.supervisors.tasks import print_field_code_slips


def sign_in_url(request) -> str:
    return absolute_url(request, reverse("supervisors:field_sign_in"))


@throttled("field-code", "RATE_LIMIT_FIELD_CODES", method="POST")
def field_sign_in(request):
    """A PTPS signs in with its code (typed, or filled in from the QR code's '#kode=' by
    lapangan-masuk.js); the sign-in lasts FIELD_SESSION_AGE, through voting day and the count."""
    error = ""
    if request.method == "POST":
        user = field_logins.sign_in(code=request.POST.get("kode", "")[:40])
        if user is not None:
            login(request, user, backend="sinergi.accounts.backends.AgencyModelBackend")
            request.session.set_expiry(settings.FIELD_SESSION_AGE)
            return redirect("supervisors:field_app")
        error = field_logins.REFUSED
    return render(request, "supervisors/field_sign_in.html", {"error": error, "hours": settings.FIELD_SESSION_AGE // 3600}, status=400 if error else 200)


def _roster_back(slug: str) -> str:
    return reverse("supervisors:roster", args=[slug]) + "#kode-lapangan"


@login_required
@require_POST
def issue_missing(request, slug):
    """A code for every active PTPS of the user's area without one (asks first, with the count)."""
    election = election_by_slug(slug)
    require(request.user, Perm.MANAGE_SUPERVISORS)
    waiting = without_code(eligible_posts(request.user, election)).count()
    if not waiting:
        messages.info(request, _("Setiap PTPS aktif sudah punya kode masuk."))
        return redirect(_roster_back(slug))
    if not is_confirmed(request):
        return ask(
            request, election=election, count=waiting, back=_roster_back(slug), title=_("Buat kode masuk aplikasi lapangan?"),
            message=_("Setiap PTPS aktif yang belum punya kode masuk mendapat satu kode (dan akun lapangan bila belum ada). Kode yang sudah ada tidak berubah."),
        )  # fmt: skip
    try:
        issued = field_logins.issue_codes(actor=request.user, election=election)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(n)s kode masuk dibuat. Bagikan lewat surat tugas, slip kode atau SMS.") % {"n": len(issued)})
    return redirect(_roster_back(slug))


@login_required
@require_POST
def send_missing_sms(request, slug):
    """Send by SMS every live code of the user's area not sent yet (asks first, with the count)."""
    election = election_by_slug(slug)
    require(request.user, Perm.MANAGE_SUPERVISORS)
    posts = eligible_posts(request.user, election)
    waiting = codes_not_sent(posts).count()
    if not waiting:
        messages.info(request, _("Tidak ada kode masuk yang menunggu dikirim lewat SMS."))
        return redirect(_roster_back(slug))
    if not is_confirmed(request):
        return ask(
            request, election=election, count=waiting, back=_roster_back(slug), title=_("Kirim kode masuk lewat SMS?"),
            message=_("Kode masuk yang belum terkirim dikirim ke nomor telepon PTPS pada daftar, di latar belakang."),
        )  # fmt: skip
    queued = field_logins.queue_sms(actor=request.user, election=election, posts=posts, sign_in_url=sign_in_url(request), only_unsent=True)
    messages.success(request, _("%(n)s SMS kode masuk diantrekan; statusnya tampil di daftar.") % {"n": queued})
    return redirect(_roster_back(slug))


# Slips printed by one request: a PDF of a kecamatan (Nusa Penida's 198) takes about 20 seconds;
# the whole district's is the command's job (sinergi field-logins --all).
SLIPS_PER_REQUEST = 200


@login_required
@require_POST
def code_slips(request, slug):
    """Slips (PDF) of every active PTPS's code in the user's area, or in the kecamatan or village
    the roster is filtered to (`wilayah`), issuing the missing ones first (asks first, with the
    count). Each code printed is audited. Made by a background task (supervisors/tasks.py)."""
    election = election_by_slug(slug)
    require(request.user, Perm.MANAGE_SUPERVISORS)
    posts = eligible_posts(request.user, election)
    region = request.POST.get("wilayah", "").strip()[:20]
    if region:
        posts = posts.filter(within("region__code", region))
    count = posts.count()
    if count > SLIPS_PER_REQUEST:
        messages.error(request, _("%(n)s slip terlalu banyak untuk satu PDF: saring daftar per kecamatan atau desa lebih dulu, atau cetak semuanya dengan perintah sinergi field-logins --all.") % {"n": count})
        return redirect(_roster_back(slug))
    if not is_confirmed(request):
        return ask(
            request, election=election, count=count, back=_roster_back(slug), title=_("Cetak slip kode masuk?"),
            message=_("Slip kode masuk setiap PTPS aktif di wilayah Anda (yang belum punya kode dibuatkan). Kode rahasia: setiap pencetakan tercatat di log audit."),
        )  # fmt: skip
    # Up to a minute of PDF: a task of the worker; the officer follows it and downloads the PDF once.
    job = jobs.queue(actor=request.user, election=election, kind="supervisors.field_code_slips", task=print_field_code_slips, args=(region, sign_in_url(request)))
    messages.info(request, _("Slip kode masuk sedang disiapkan."))
    return redirect("core:job", slug=slug, pk=job.pk)


def _post(request, slug, pk) -> tuple:
    election = election_by_slug(slug)
    post = get_object_or_404(roster_for(request.user, election), pk=pk, role=Assignment.Role.PTPS)
    require(request.user, Perm.MANAGE_SUPERVISORS)
    return election, post


@login_required
@require_POST
def revoke(request, slug, pk):
    """Revoke one PTPS's code (a lost phone): the code stops working and its sign-ins end."""
    _election, post = _post(request, slug, pk)
    try:
        field_logins.revoke_code(actor=request.user, post=post, reason=request.POST.get("reason", "")[:200])
    except (ValidationError, PermissionDenied) as error:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
    else:
        messages.success(request, _("Kode masuk %(name)s dicabut; semua sesi masuknya berakhir. Buat kode baru bila perlu.") % {"name": post.supervisor.name})
    return redirect("supervisors:detail", slug=slug, pk=pk)


@login_required
@require_POST
def issue_one(request, slug, pk):
    """A new code for one active PTPS without a live one (after a revocation)."""
    election, post = _post(request, slug, pk)
    if post.status not in Assignment.ACTIVE:
        messages.error(request, _("Hanya PTPS aktif yang mendapat kode masuk."))
        return redirect("supervisors:detail", slug=slug, pk=pk)
    try:
        field_logins.codes_for(actor=request.user, election=election, posts=Assignment.objects.filter(pk=post.pk), purpose="kode baru")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Kode masuk %(name)s siap: cetak surat tugas, tampilkan, atau kirim lewat SMS.") % {"name": post.supervisor.name})
    return redirect("supervisors:detail", slug=slug, pk=pk)


@login_required
@require_POST
def send_one_sms(request, slug, pk):
    """Send (again) one PTPS's live code by SMS."""
    election, post = _post(request, slug, pk)
    queued = field_logins.queue_sms(actor=request.user, election=election, posts=Assignment.objects.filter(pk=post.pk), sign_in_url=sign_in_url(request), only_unsent=False)
    if queued:
        messages.success(request, _("SMS kode masuk ke %(name)s diantrekan.") % {"name": post.supervisor.name})
    else:
        messages.error(request, _("Tidak terkirim: PTPS ini tidak punya kode masuk yang berlaku atau nomor telepon."))
    return redirect("supervisors:detail", slug=slug, pk=pk)

"""Users by invitation (docs/accounts.md): an administrator's page over the accounts of the
agencies they manage, one view per action, each calling one service of accounts/invitations.py;
the invited user's own activation pages are in views.py, beside the sign-in they lead to."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sinergi.accounts.forms import InviteForm
from sinergi.accounts.invitations import Issued, deactivate_user, invite_user, reinvite_user
from sinergi.accounts.permissions import Perm, require
from sinergi.accounts.queries import ACCOUNT_STATUSES, account_status, agencies_managed_by, managed_user, users_managed_by
from sinergi.accounts.totp import reset_totp
from sinergi.core.confirm import ask, is_confirmed
from sinergi.core.links import absolute_url
from sinergi.core.params import text_param

# The link just made, shown once on the users page after the redirect (its secret is in no log).
ISSUED_KEY = "_issued_activation_link"


def _remember_issued(request, issued: Issued) -> None:
    expires = timezone.localtime(issued.expires_at)
    request.session[ISSUED_KEY] = {"username": issued.user.username, "url": issued.url, "expires_at": expires.strftime("%d-%m-%Y %H.%M"), "emailed_to": issued.emailed_to}


def _link_builder(request):
    return lambda path: absolute_url(request, path)


@login_required
@require_GET
def users_page(request):
    require(request.user, Perm.MANAGE_USERS)
    filters = {"lembaga": text_param(request, "lembaga"), "q": text_param(request, "q")}
    users = users_managed_by(request.user, agency=filters["lembaga"], search=filters["q"])
    page = Paginator(users, 100).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(user, account_status(user, now)) for user in page]
    context = {
        "page": page,
        "rows": [(user, status, ACCOUNT_STATUSES[status]) for user, status in rows],
        "agencies": agencies_managed_by(request.user),
        "filters": filters,
        "query": request.GET.copy(),
        "issued": request.session.pop(ISSUED_KEY, None),
        "hours": settings.INVITATION_HOURS,
    }
    return render(request, "accounts/users.html", context)


@login_required
def invite_page(request):
    require(request.user, Perm.MANAGE_USERS)
    form = InviteForm(request.POST or None, agencies=agencies_managed_by(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = invite_user(
                actor=request.user, username=data["username"], agency=data["agency"], role=data["role"], link=_link_builder(request),
                full_name=data["full_name"], email=data["email"], area_code=data["area"].strip() or None,
            )  # fmt: skip
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            _remember_issued(request, issued)
            messages.success(request, _("Undangan untuk %(username)s dibuat.") % {"username": issued.user.username})
            return redirect("accounts:users")
    return render(request, "accounts/invite.html", {"form": form, "hours": settings.INVITATION_HOURS}, status=400 if form.errors else 200)


@login_required
@require_POST
def reinvite(request, pk: int):
    require(request.user, Perm.MANAGE_USERS)
    account = managed_user(request.user, pk)
    if account.is_active and account.has_usable_password() and not is_confirmed(request):
        return ask(
            request, election=None, count=1, back=reverse("accounts:users"),
            title=_("Undang ulang %(username)s?") % {"username": account.username},
            message=_("Kata sandi %(username)s yang sekarang berhenti berlaku dan ia keluar dari Sinergi di semua perangkat; ia membuat kata sandi baru lewat tautan aktivasi yang baru.") % {"username": account.username},
        )  # fmt: skip
    try:
        issued = reinvite_user(actor=request.user, user=account, link=_link_builder(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _remember_issued(request, issued)
        messages.success(request, _("Undangan baru untuk %(username)s dibuat; tautan sebelumnya tidak berlaku lagi.") % {"username": account.username})
    return redirect("accounts:users")


@login_required
@require_POST
def deactivate(request, pk: int):
    require(request.user, Perm.MANAGE_USERS)
    account = managed_user(request.user, pk)
    if not is_confirmed(request):
        return ask(
            request, election=None, count=1, back=reverse("accounts:users"),
            title=_("Nonaktifkan %(username)s?") % {"username": account.username},
            message=_("%(username)s tidak dapat masuk lagi: kata sandinya dihapus, tautan aktivasinya dan token API-nya dicabut, dan sesinya berakhir. Untuk mengaktifkannya kembali, kirim undangan ulang.") % {"username": account.username},
        )  # fmt: skip
    try:
        tokens = deactivate_user(actor=request.user, user=account)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(username)s dinonaktifkan (%(n)s token API dicabut).") % {"username": account.username, "n": tokens})
    return redirect("accounts:users")


@login_required
@require_POST
def reset_user_totp(request, pk: int):
    """A lost or replaced phone: the user's authenticator no longer counts; they enrol again at
    their next sign-in (accounts/totp.py)."""
    require(request.user, Perm.MANAGE_USERS)
    account = managed_user(request.user, pk)
    if not is_confirmed(request):
        return ask(
            request, election=None, count=1, back=reverse("accounts:users"),
            title=_("Atur ulang TOTP %(username)s?") % {"username": account.username},
            message=_("Aplikasi autentikator %(username)s tidak berlaku lagi. Pada saat masuk berikutnya, setelah kata sandinya, ia memindai kode QR baru dan mendaftarkan aplikasi autentikatornya lagi.") % {"username": account.username},
        )  # fmt: skip
    try:
        reset_totp(actor=request.user, user=account)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("TOTP %(username)s diatur ulang: ia mendaftarkan aplikasi autentikatornya lagi saat masuk berikutnya.") % {"username": account.username})
    return redirect("accounts:users")

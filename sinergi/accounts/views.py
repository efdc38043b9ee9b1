from functools import wraps

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django_otp import login as otp_login

from sinergi.accounts import totp
from sinergi.accounts.forms import CodeForm, LoginForm
from sinergi.accounts.invitations import LinkUnusable, activate, link_state
from sinergi.accounts.models import User
from sinergi.accounts.queries import activation_link_for
from sinergi.accounts.services import change_password, record_failed_sign_in, record_sign_in, record_sign_out, reset_password
from sinergi.accounts.totp import check_code, confirm_enrolment


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        step = totp.second_step(user)
        if step != totp.NONE:
            # The password passed; the session is signed in only after the TOTP code (or the
            # enrolment) does: accounts/totp.py, docs/accounts.md.
            _remember_pending(self.request, user=user, backend=user.backend, purpose="sign_in", next_url=self.get_success_url())
            return redirect("accounts:sign_in_code" if step == totp.CODE else "accounts:totp_enrol")
        response = super().form_valid(form)
        _signed_in(self.request, user)
        return response

    def form_invalid(self, form):
        # Also a sign-in refused by the lockout: django-axes's backend marks the request, and its
        # middleware then answers 429 instead of this page.
        record_failed_sign_in(username=form.data.get("username", ""), locked_out=bool(getattr(self.request, "axes_locked_out", False)))
        return super().form_invalid(form)


def _signed_in(request, user: User) -> None:
    record_sign_in(user=user)
    if user.role == User.Role.FIELD:
        # Voting day and the count in one sign-in (settings.FIELD_SESSION_AGE); desk accounts keep
        # the shorter SESSION_COOKIE_AGE.
        request.session.set_expiry(settings.FIELD_SESSION_AGE)


# The second step of a sign-in (accounts/totp.py): who gave the right password (or just activated
# their account), kept in the session until the TOTP code passes, for TOTP_PENDING_SECONDS. The
# password's session hash is kept with it, so that a password changed meanwhile ends the step.
PENDING_KEY = "_totp_pending"
TOTP_PENDING_SECONDS = 15 * 60


def _remember_pending(request, *, user: User, backend: str, purpose: str, next_url: str) -> None:
    request.session[PENDING_KEY] = {
        "user": user.pk, "hash": user.get_session_auth_hash(), "backend": backend, "purpose": purpose,
        "next": next_url, "at": int(timezone.now().timestamp()),
    }  # fmt: skip


def _pending(request) -> tuple[User, dict] | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or timezone.now().timestamp() - pending["at"] > TOTP_PENDING_SECONDS:
        return None
    user = User.objects.select_related("agency").filter(pk=pending["user"], is_active=True).first()
    if user is None or not constant_time_compare(user.get_session_auth_hash(), pending["hash"]):
        return None
    return user, pending


def _pending_or_restart(view):
    """The views of the second step: without a pending sign-in (expired, never started, password
    changed since), back to the sign-in page with a message."""

    @wraps(view)
    def wrapped(request):
        found = _pending(request)
        if found is None:
            request.session.pop(PENDING_KEY, None)
            messages.error(request, _("Langkah masuk kedua sudah berakhir. Silakan masuk lagi dengan kata sandi Anda."))
            return redirect("accounts:login")
        user, pending = found
        # The same lockout as the password (django-axes, per username): a wrong code counts as a
        # failed sign-in, and a locked account cannot try more codes.
        credentials = {"username": user.username}
        if not AxesProxyHandler.is_allowed(request, credentials):
            request.session.pop(PENDING_KEY, None)
            record_failed_sign_in(username=user.username, locked_out=True)
            request.axes_locked_out, request.axes_credentials = True, credentials
            return redirect("accounts:login")  # replaced by the lockout page (axes's middleware)
        return view(request, user, pending)

    return wrapped


def _wrong_code(request, user: User) -> None:
    # django-axes counts it against the username like a wrong password (and locks at the limit).
    user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)


def _finish(request, user: User, pending: dict, device):
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend=pending["backend"])
    otp_login(request, device)
    _signed_in(request, user)
    next_url = pending["next"]
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
    return redirect(next_url)


WRONG_CODE = gettext_lazy("Kode salah atau sudah kedaluwarsa. Buka aplikasi autentikator Anda dan ketik 6 angka yang sedang tampil untuk Sinergi.")


def _try_later(wait: "totp.TryLater") -> str:
    return _("Terlalu cepat setelah kode yang salah: tunggu %(seconds)s detik, lalu ketik kode yang sedang tampil.") % {"seconds": wait.seconds}


@_pending_or_restart
def sign_in_code(request, user: User, pending: dict):
    """The second step of a sign-in with a confirmed TOTP device: its current code."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = check_code(user=user, code=form.cleaned_data["code"])
        except totp.TryLater as wait:
            form.add_error("code", _try_later(wait))
        else:
            if device is not None:
                return _finish(request, user, pending, device)
            _wrong_code(request, user)
            form.add_error("code", WRONG_CODE)
    return render(request, "accounts/sign_in_code.html", {"form": form, "account": user}, status=400 if form.errors else 200)


@_pending_or_restart
def totp_enrol(request, user: User, pending: dict):
    """Enrolment of an authenticator: the QR code (and the secret as text), then its first code.
    After an activation the person then signs in; at a sign-in the session is signed in."""
    if totp.second_step(user) == totp.CODE:  # confirmed meanwhile (another tab)
        if pending["purpose"] == "activation":
            request.session.pop(PENDING_KEY, None)
            return redirect("accounts:login")
        return redirect("accounts:sign_in_code")
    device = totp.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = confirm_enrolment(user=user, code=form.cleaned_data["code"])
        except totp.TryLater as wait:
            form.add_error("code", _try_later(wait))
            confirmed = False
        if confirmed:
            if pending["purpose"] == "sign_in":
                messages.success(request, _("Aplikasi autentikator terdaftar. Mulai sekarang Anda masuk dengan kata sandi dan kode 6 angka."))
                return _finish(request, user, pending, confirmed)
            request.session.pop(PENDING_KEY, None)
            messages.success(request, _("Akun aktif. Silakan masuk sebagai %(username)s dengan kata sandi dan kode 6 angka.") % {"username": user.username})
            return redirect("accounts:login")
        if confirmed is None:
            _wrong_code(request, user)
            form.add_error("code", WRONG_CODE)
    context = {"form": form, "account": user, "enrolment": totp.enrolment(device), "activation": pending["purpose"] == "activation"}
    return render(request, "accounts/totp_enrol.html", context, status=400 if form.errors else 200)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            record_sign_out(user=request.user)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("elections:home")

    def form_valid(self, form):
        # The form only validates; the write (and its audit event) is the service's.
        change_password(user=self.request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, _("Kata sandi telah diganti."))
        return redirect(self.success_url)


# Password reset by e-mail: Django's views and token (valid PASSWORD_RESET_TIMEOUT, three days by
# default; used once, since it hashes the password it replaces), our templates and audited write.
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # The form only validates; the write (and its audit event) is the service's.
        reset_password(user=form.user, new_password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# The secret of the activation link being used: moved from the address into the session, as
# Django's password reset does, so that the form's page carries no secret a Referer could leak.
ACTIVATION_KEY = "_activation_secret"


def _unusable_link(request, state: str):
    request.session.pop(ACTIVATION_KEY, None)
    context = {"state": state, "hours": settings.INVITATION_HOURS}
    return render(request, "accounts/activation_unusable.html", context, status=404 if state == "unknown" else 410)


@require_GET
def activation_link(request, token: str):
    """The address in the invitation: checked, then its secret moves into the session."""
    found = activation_link_for(token)
    state = link_state(found, timezone.now())
    if state != "valid":
        return _unusable_link(request, state)
    request.session[ACTIVATION_KEY] = token
    return redirect("accounts:activation_password")


def activation_password(request):
    """The invited user sets their password (Django's validators); then signs in."""
    raw = request.session.get(ACTIVATION_KEY, "")
    found = activation_link_for(raw) if raw else None
    state = link_state(found, timezone.now())
    if state != "valid":
        return _unusable_link(request, state)
    form = SetPasswordForm(found.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = activate(raw=raw, new_password=form.cleaned_data["new_password1"])
        except LinkUnusable as unusable:
            return _unusable_link(request, unusable.reason)
        if request.user.is_authenticated:
            # Someone else was signed in on this browser: the new account's owner signs in next.
            record_sign_out(user=request.user)
            logout(request)
        else:
            request.session.pop(ACTIVATION_KEY, None)
        if totp.second_step(user) == totp.ENROL:
            # A desk account: its authenticator next, on the same browser, before any sign-in.
            _remember_pending(request, user=user, backend="", purpose="activation", next_url="")
            return redirect("accounts:totp_enrol")
        messages.success(request, _("Kata sandi tersimpan. Silakan masuk sebagai %(username)s.") % {"username": user.username})
        return redirect("accounts:login")
    return render(request, "accounts/activation_password.html", {"form": form, "account": found.user}, status=400 if form.errors else 200)

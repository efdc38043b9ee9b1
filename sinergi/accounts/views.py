from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from sinergi.accounts.forms import LoginForm
from sinergi.accounts.models import User
from sinergi.accounts.services import change_password, record_failed_sign_in, record_sign_in, record_sign_out, reset_password


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        record_sign_in(user=form.get_user())
        if self.request.user.role == User.Role.FIELD:
            # Voting day and the count in one sign-in (settings.FIELD_SESSION_AGE); desk accounts keep
            # the shorter SESSION_COOKIE_AGE.
            self.request.session.set_expiry(settings.FIELD_SESSION_AGE)
        return response

    def form_invalid(self, form):
        # Also a sign-in refused by the lockout: django-axes's backend marks the request, and its
        # middleware then answers 429 instead of this page.
        record_failed_sign_in(username=form.data.get("username", ""), locked_out=bool(getattr(self.request, "axes_locked_out", False)))
        return super().form_invalid(form)


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

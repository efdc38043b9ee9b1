from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from sinergi.accounts.forms import LoginForm
from sinergi.accounts.models import User
from sinergi.accounts.services import change_password


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.user.role == User.Role.FIELD:
            # Voting day and the count in one sign-in (settings.FIELD_SESSION_AGE); desk accounts keep
            # the shorter SESSION_COOKIE_AGE.
            self.request.session.set_expiry(settings.FIELD_SESSION_AGE)
        return response


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("elections:home")

    def form_valid(self, form):
        # The form only validates; the write (and its audit event) is the service's.
        change_password(user=self.request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, _("Kata sandi telah diganti."))
        return redirect(self.success_url)

"""The operator's admin of agencies, accounts and API tokens (superusers only; audit/admin_site.py).

Agencies are added, changed and deleted (a deletion is refused while anything points at the
agency); accounts are added and changed, never deleted (deactivate them: the audit trail keeps
pointing at them); API tokens are listed and revoked (deleted), never made here: `sinergi
create-token` prints a new one once. django-axes's lockouts are listed and lifted (deleted). Every write is recorded in the audit trail; a password never.
"""

from axes.models import AccessAttempt
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.hashers import is_password_usable
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.models import Agency, ApiToken, User
from sinergi.accounts.services import check_agency_region, check_user_area
from sinergi.audit.admin_site import AuditedModelAdmin
from sinergi.audit.services import Change, record

# Sinergi's permissions are its own table (accounts/permissions.py), not Django's groups.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)
# django-otp's own admin of TOTP devices would show secrets and change devices unaudited: a
# reset goes through the users page or `sinergi reset-totp` (accounts/totp.py), audited.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


class AgencyForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") and "region" in cleaned:
            try:
                check_agency_region(kind=cleaned["kind"], region=cleaned["region"])
            except ValidationError as error:
                self.add_error("region", error)
        return cleaned


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    form = AgencyForm
    list_display = ("name", "kind", "region", "slug")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "region__code", "region__name")
    autocomplete_fields = ("region",)
    fields = ("slug", "kind", "name", "region", "address", "phone", "email")

    def audit_region(self, obj) -> str:
        return obj.region_id or ""


class UserAreaMixin:
    """Both user forms: the area inside the agency's region (as `ensure_user` requires)."""

    def clean(self):
        cleaned = super().clean()
        if "agency" in cleaned and "area" in cleaned:
            try:
                check_user_area(agency=cleaned["agency"], area=cleaned["area"])
            except ValidationError as error:
                self.add_error("area", error)
        return cleaned


class UserCreationForm(UserAreaMixin, auth_forms.AdminUserCreationForm):
    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)


class UserChangeForm(UserAreaMixin, auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User
        fields = "__all__"
        # Sinergi keeps the full name in first_name (accounts/services.py, ensure_user).
        labels = {"first_name": _("nama lengkap")}


@admin.register(User)
class UserAdmin(AuditedModelAdmin, auth_admin.UserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Lembaga dan peran"), {"fields": ("agency", "role", "area")}),
        (_("Data diri"), {"fields": ("first_name", "email")}),
        (_("Status"), {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Lembaga dan peran"), {"fields": ("agency", "role", "area", "first_name", "email")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "first_name", "agency", "role", "is_active", "is_superuser")
    list_filter = ("role", "is_active", "is_superuser", "agency__kind")
    search_fields = ("username", "first_name", "email", "agency__name")
    autocomplete_fields = ("agency", "area")
    filter_horizontal = ()
    list_select_related = ("agency",)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deactivated, never deleted: audit events and documents keep pointing at the account.
        return False

    def audit_region(self, obj) -> str:
        return obj.agency.region_id if obj.agency_id else ""

    def audit_repr(self, obj) -> str:
        return obj.username

    def user_change_password(self, request, id, form_url=""):
        """Django's password page, in one transaction with its audit event: that the password was
        set (and whether it can still be used to sign in), never the password or its hash."""
        if request.method != "POST":
            return super().user_change_password(request, id, form_url)
        with transaction.atomic(durable=True):
            user = self.get_object(request, unquote(id))
            before = user.password if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if user is not None:
                user.refresh_from_db(fields=["password"])
                if user.password != before:
                    usable = (is_password_usable(before), user.has_usable_password())
                    changes = {"usable_password": list(usable)} if usable[0] != usable[1] else {}
                    record(actor=request.user, changes=[Change("admin.password", "accounts.user", user.pk, user.username, changes=changes, region=self.audit_region(user))])
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    """Listed and revoked (deleted, audited per token); `sinergi create-token` makes them."""

    list_display = ("prefix", "user", "name", "created_at", "last_used_at")
    search_fields = ("prefix", "user__username", "name")
    list_select_related = ("user__agency",)
    fields = ("prefix", "user", "name", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def audit_region(self, obj) -> str:
        return obj.user.agency.region_id if obj.user.agency_id else ""

    def audit_repr(self, obj) -> str:
        return f"{obj.prefix}… {obj.user.username}"


@admin.register(AccessAttempt)
class LockoutAdmin(AuditedModelAdmin):
    """django-axes's failed sign-ins per username (settings.AXES_ENABLE_ADMIN is off: this replaces
    its admin). Deleting a row lifts that username's lockout at once, recorded in the audit trail."""

    list_display = ("username", "failures_since_start", "attempt_time", "ip_address")
    search_fields = ("username", "ip_address")
    fields = ("username", "failures_since_start", "attempt_time", "ip_address", "user_agent", "path_info")
    readonly_fields = fields
    # What the event keeps of a lifted lockout (the form data axes stores is left out).
    audit_fields = ("username", "failures_since_start", "attempt_time", "ip_address")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def audit_region(self, obj) -> str:
        user = User.objects.select_related("agency").filter(username=obj.username).first()
        return user.agency.region_id if user and user.agency_id else ""

    def audit_repr(self, obj) -> str:
        return obj.username or ""

"""The deployment operator's Django admin (`/admin/`): superusers only, every change audited.

Agency administrators never come here: they work in Sinergi's own pages, through the services and
their permission table. The admin is the Django ecosystem's convention for whoever runs the
deployment (fixing an agency's name, attaching an account to its agency, moving a stage's dates),
so it keeps the rule every other write keeps: the row and its audit event are committed together.

- `SinergiAdminSite` lets in an active superuser only (`is_staff` alone is not enough); signing in
  and out go through Sinergi's own pages (django-axes lockout, audited sign-ins).
- `AuditedModelAdmin` records every add, change and delete made through the admin with
  `audit.services.record`, inside the transaction of Django's admin view, with the changed fields'
  old and new values (never a password).
- `ReadOnlyModelAdmin` shows rows that only a service may write.
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from sinergi.audit.services import Change, diff, record

# Never recorded, whatever the model: a password hash, a token's digest, a sign-in's time.
NEVER_RECORDED = frozenset({"password", "digest", "last_login"})


class SinergiAdminSite(admin.AdminSite):
    site_header = _("Administrasi Sinergi")
    site_title = _("Administrasi Sinergi")
    index_title = _("Pengaturan penyelenggaraan (khusus superuser)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No site-wide "delete selected": it would delete without an event. Each audited ModelAdmin
        # offers its own, recorded row by row.
        self.disable_action("delete_selected")

    def has_permission(self, request) -> bool:
        """Only an active superuser: staff status (`is_staff`) alone opens nothing here."""
        user = request.user
        return user.is_active and user.is_superuser

    def login(self, request, extra_context=None):
        """Sinergi's own sign-in page (lockout, audit); a signed-in account that is not a
        superuser is refused with the 403 page instead of being offered another sign-in."""
        wanted = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            wanted = ""
        if self.has_permission(request):
            return redirect(wanted or reverse("admin:index"))
        if request.user.is_authenticated:
            raise PermissionDenied("the admin is for superusers")
        return redirect_to_login(wanted or reverse("admin:index"), reverse("accounts:login"))

    def logout(self, request, extra_context=None):
        """Signing out is Sinergi's (audited) sign-out."""
        from sinergi.accounts.views import LogoutView

        return LogoutView.as_view()(request)

    def password_change(self, request, extra_context=None):
        """A superuser changes their own password on Sinergi's page (audited, like everyone's)."""
        return redirect("accounts:password_change")


def snapshot(obj: models.Model, only: tuple[str, ...] | None = None) -> dict:
    """The recordable values of a row, {field name: value}: a foreign key by its key, a
    many-to-many field as the sorted keys; never a field of NEVER_RECORDED; only the fields
    `only` when given."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.name in NEVER_RECORDED or field.primary_key or (only is not None and field.name not in only):
            continue
        values[field.name] = getattr(obj, field.attname)
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            if field.name not in NEVER_RECORDED and (only is None or field.name in only):
                values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values


def _must_be_in_the_views_transaction() -> None:
    # Django's admin opens one transaction around a form's save_model and save_related (and around
    # the delete view): the row written by save_model is only committed with the event recorded by
    # save_related if both run inside it.
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("an admin save must run inside the admin view's transaction")


class AuditedModelAdmin(admin.ModelAdmin):
    """Every add, change and delete through the admin, recorded in Sinergi's audit trail in the
    same transaction: action `admin.add`, `admin.change` or `admin.delete`, object type
    `<app>.<model>`, the changed fields as {field: [old, new]} (a deleted row's as [old, None])."""

    actions = ["delete_selected_audited"]
    # The fields recorded (None: all but NEVER_RECORDED).
    audit_fields: tuple[str, ...] | None = None

    def snapshot(self, obj) -> dict:
        return snapshot(obj, self.audit_fields)

    def audit_region(self, obj) -> str:
        """The region code that decides which agency administrators see the event ("": national)."""
        return ""

    def audit_repr(self, obj) -> str:
        return str(obj)

    def _change(self, action: str, obj, changes: dict) -> Change:
        return Change(action, obj._meta.label_lower, obj.pk, self.audit_repr(obj), changes=changes, region=self.audit_region(obj))

    # Adding and changing: the values before are read from the database (the form has already put
    # the new ones on `obj`), the event is recorded once the many-to-many fields are saved too.
    def save_model(self, request, obj, form, change):
        _must_be_in_the_views_transaction()
        before = self.snapshot(type(obj)._base_manager.get(pk=obj.pk)) if change and obj.pk is not None else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
        obj._admin_audit_before = (before, change)

    def save_related(self, request, form, formsets, change):
        _must_be_in_the_views_transaction()
        obj = form.instance
        before, changed = getattr(obj, "_admin_audit_before", ({}, change))
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            changes = diff(before, self.snapshot(obj))
            if changes or not changed:
                record(actor=request.user, changes=[self._change("admin.change" if changed else "admin.add", obj, changes)])
        del obj._admin_audit_before

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(actor=request.user, changes=[self._change("admin.delete", obj, diff(self.snapshot(obj), {}))])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        """The bulk delete: one event per row, all in one transaction with the delete."""
        with transaction.atomic():
            manager = queryset.model._base_manager
            rows = list(manager.select_for_update().filter(pk__in=list(queryset.values_list("pk", flat=True))))
            record(actor=request.user, changes=[self._change("admin.delete", obj, diff(self.snapshot(obj), {})) for obj in rows])
            super().delete_queryset(request, manager.filter(pk__in=[obj.pk for obj in rows]))

    @admin.action(permissions=["delete"], description=_("Hapus %(verbose_name_plural)s terpilih (tercatat di log audit)"))
    def delete_selected_audited(self, request, queryset):
        from django.contrib.admin.actions import delete_selected

        # Django's own confirmation page, then (confirmed) its log entries and delete_queryset above,
        # all in one transaction: Django's action runs outside one.
        with transaction.atomic(durable=True):
            return delete_selected(self, request, queryset)

    def save_formset(self, request, form, formset, change):
        # No audited admin has inlines: a formset's rows would be saved without an event.
        raise RuntimeError("inline formsets are not audited; register the model on its own")


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Rows written only by a service (or never changed): shown, never added, changed or deleted."""

    actions = None

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

"""Days off in the operator's admin (audit/admin_site.py), as `sinergi days-off` manages them: added,
changed and removed, each audited. Cases, their steps, evidence and reminders are not here: their
workflow and deadlines are kept by cases/services.py alone."""

from django.contrib import admin

from sinergi.audit.admin_site import AuditedModelAdmin
from sinergi.cases.models import DayOff


@admin.register(DayOff)
class DayOffAdmin(AuditedModelAdmin):
    list_display = ("day", "region", "reason")
    search_fields = ("reason", "region__name")
    autocomplete_fields = ("region",)
    fields = ("day", "region", "reason", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def audit_region(self, obj) -> str:
        return obj.region_id or ""

    def audit_repr(self, obj) -> str:
        return f"{obj.day:%d-%m-%Y} ({obj.region_id or 'nasional'})"

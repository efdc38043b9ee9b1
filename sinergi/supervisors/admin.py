"""The operator's admin of incident response timers (superusers only, every change audited:
audit/admin_site.py). The page /pemilihan/<slug>/kejadian/batas-waktu/ sets the same rows through
`supervisors.response_timers.set_timers`; docs/incidents.md."""

from django.contrib import admin

from sinergi.audit.admin_site import AuditedModelAdmin
from sinergi.supervisors.models import ResponseTimer


@admin.register(ResponseTimer)
class ResponseTimerAdmin(AuditedModelAdmin):
    list_display = ("election", "severity", "acknowledge_minutes", "arrive_minutes")
    list_filter = ("election",)
    list_select_related = ("election",)

    def audit_repr(self, obj) -> str:
        return f"{obj.election.slug}: {obj.get_severity_display()}"

"""The audit trail in the operator's admin: read only, whatever the user (audit/admin_site.py). Nothing
here adds, changes or deletes an event; the chain is checked by `sinergi verify-audit`."""

from django.contrib import admin

from sinergi.audit.admin_site import ReadOnlyModelAdmin
from sinergi.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    list_display = ("at", "actor_username", "agency", "action", "object_type", "object_repr", "region")
    list_filter = ("action",)  # indexed; a filter by date or type would scan the whole table
    search_fields = ("actor_username", "object_repr", "object_id", "action")
    # The log is browsed, never counted whole: the voting day adds thousands of events.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    fields = ("at", "actor_username", "agency", "action", "object_type", "object_id", "object_repr", "election", "region", "changes", "partition", "prev_hash", "hash", "key_id")
    readonly_fields = fields

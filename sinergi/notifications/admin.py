"""Notifications in the operator's admin, read only: the deliveries (what failed and why) and the
workers' heartbeats tell the operator whether notifications leave. Nothing is changed here."""

from django.contrib import admin

from sinergi.audit.admin_site import ReadOnlyModelAdmin
from sinergi.core.models import WorkerHeartbeat
from sinergi.notifications.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyModelAdmin):
    list_display = ("created_at", "channel", "address", "status", "attempts", "last_error", "sent_at")
    list_filter = ("status", "channel")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    fields = ("notification", "channel", "address", "status", "attempts", "last_error", "created_at", "sent_at", "next_attempt_at")
    readonly_fields = fields


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyModelAdmin):
    list_display = ("worker_id", "hostname", "pid", "started_at", "seen_at")
    fields = list_display
    readonly_fields = fields

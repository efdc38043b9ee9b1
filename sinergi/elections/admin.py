"""The operator's admin of elections, their stages and ballot types (superusers only; audit/admin_site.py).

Changed only: an election, with its stages and ballot types, is installed from a preset
(`elections.services.install_preset`, `sinergi demo`), and deleting one would take every TPS,
checklist and report of it along. Every change is recorded in the audit trail.
"""

from zoneinfo import available_timezones

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sinergi.audit.admin_site import AuditedModelAdmin
from sinergi.elections.models import BallotType, Election, Stage


class ElectionForm(forms.ModelForm):
    def clean_time_zone(self):
        zone = self.cleaned_data["time_zone"].strip()
        if zone not in available_timezones():
            raise forms.ValidationError(_("Zona waktu %(zone)s tidak dikenal; tulis nama IANA seperti Asia/Makassar.") % {"zone": zone})
        return zone


class ChangeOnly(AuditedModelAdmin):
    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Election)
class ElectionAdmin(ChangeOnly):
    form = ElectionForm
    list_display = ("name", "kind", "voting_date", "time_zone", "slug")
    readonly_fields = ("slug", "kind")
    fields = ("slug", "kind", "name", "voting_date", "time_zone", "max_voters_per_station", "ballot_reserve_percent")


@admin.register(Stage)
class StageAdmin(ChangeOnly):
    list_display = ("name", "election", "starts_on", "ends_on", "code")
    list_filter = ("election",)
    list_select_related = ("election",)
    readonly_fields = ("election", "code")
    fields = ("election", "code", "name", "starts_on", "ends_on", "order")

    def audit_repr(self, obj) -> str:
        return f"{obj.election.slug}: {obj.name}"


@admin.register(BallotType)
class BallotTypeAdmin(ChangeOnly):
    list_display = ("name", "election", "colour_name", "code")
    list_filter = ("election",)
    list_select_related = ("election",)
    readonly_fields = ("election", "code")
    fields = ("election", "code", "name", "colour_name", "colour_hex", "order")

    def audit_repr(self, obj) -> str:
        return f"{obj.election.slug}: {obj.name}"

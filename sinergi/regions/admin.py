"""Regions in the operator's admin: read only (audit/admin_site.py). They are loaded, checked whole, by
`sinergi load-regions` (regions/services.py); a code, level or boundary changed by hand would break
the area filters every query relies on."""

from django.contrib import admin

from sinergi.audit.admin_site import ReadOnlyModelAdmin
from sinergi.regions.models import Region


@admin.register(Region)
class RegionAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "name", "kind", "level")
    list_filter = ("level", "kind")
    search_fields = ("code", "name")
    exclude = ("boundary",)  # kilobytes of GeoJSON; the map shows it

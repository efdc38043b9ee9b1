from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DayOff(models.Model):
    """A day off the `holidays` package does not know: a regional holiday, a decree that adds or
    moves a day off. It stops working-day deadlines of cases in its region (everywhere when no
    region is given). Managed with `cases.services.add_day_off` / `remove_day_off`, audited."""

    day = models.DateField(_("tanggal"))
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(_("alasan"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hari libur tambahan")
        verbose_name_plural = _("hari libur tambahan")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["day"], condition=Q(region__isnull=True), name="one_national_day_off_per_day"),
            models.UniqueConstraint(fields=["day", "region"], name="one_day_off_per_day_and_region"),
        ]

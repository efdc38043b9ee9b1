"""Joint monitoring visits before voting day: Bawaslu (or the area's Panwascam) and the police
(Polsek or Polres) visit TPS together; what they find at each TPS updates its vulnerability
checklist (docs/visits.md). Every write goes through `visits.services`; the day's timing is
`visits.dayplan`."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Visit(models.Model):
    """One day's visit to one or several TPS of one kecamatan, in the order planned."""

    class Status(models.TextChoices):
        PLANNED = "rencana", _("Direncanakan")
        DONE = "selesai", _("Selesai")
        CANCELLED = "batal", _("Dibatalkan")

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="+")
    # The kecamatan of its TPS: what scopes the visit (a Polsek or Panwascam sees its own only).
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kecamatan"))
    day = models.DateField(_("tanggal"))
    agencies = models.ManyToManyField("accounts.Agency", related_name="+", verbose_name=_("lembaga"))
    team = models.TextField(_("anggota tim"), max_length=2000)
    purpose = models.CharField(_("tujuan"), max_length=300, blank=True)
    minutes_per_station = models.PositiveSmallIntegerField(_("lama di setiap TPS (menit)"), default=45)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    # The day as planned (visits.dayplan): the crossing and its departures out and back, the
    # departure from the capital and the return; empty on the mainland.
    crossing = models.CharField(_("penyeberangan"), max_length=120, blank=True)
    leaves_at = models.TimeField(_("berangkat"), null=True, blank=True)
    out_departure = models.TimeField(_("kapal berangkat"), null=True, blank=True)
    back_departure = models.TimeField(_("kapal kembali"), null=True, blank=True)
    home_at = models.TimeField(_("tiba kembali"), null=True, blank=True)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=300, blank=True)
    summary = models.TextField(_("kesimpulan"), max_length=4000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kunjungan bersama")
        verbose_name_plural = _("kunjungan bersama")
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["election", "region", "day"], name="visit_election_region_day")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["rencana", "selesai", "batal"]), name="visit_known_status"),
            models.CheckConstraint(condition=~Q(status="batal") | ~Q(cancel_reason=""), name="visit_cancel_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Kunjungan bersama {self.day:%d-%m-%Y} ({self.region.name})"

    @property
    def time_zone(self) -> ZoneInfo:
        return self.election.zone_at(self.region_id)


class VisitStop(models.Model):
    """One TPS of a visit: its place in the order, the planned arrival, and what the team found.

    `findings` is the checklist as the team observed it ({indicator code: [present, note]}); it is
    applied to the TPS's checklist at once when the recorder may write it now, else it waits for
    Bawaslu's district staff (`applied_at` empty; docs/visits.md)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="stops")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("urutan"))
    arrives_at = models.TimeField(_("perkiraan tiba"), null=True, blank=True)
    findings = models.JSONField(_("temuan"), default=dict, blank=True)
    note = models.TextField(_("catatan"), max_length=4000, blank=True)
    photo = models.FileField(_("foto bukti"), upload_to="visits/%Y/%m/", blank=True)
    photo_code = models.CharField(_("indikator foto"), max_length=12, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("dicatat pada"), null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    applied_at = models.DateTimeField(_("diterapkan pada"), null=True, blank=True)
    # The police class suggestion before and after the findings were applied.
    suggestion_before = models.CharField(max_length=15, blank=True)
    suggestion_after = models.CharField(max_length=15, blank=True)
    answers_changed = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["visit", "order"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "order"], name="visit_stop_unique_order"),
            models.UniqueConstraint(fields=["visit", "station"], name="visit_stop_unique_station"),
        ]

    @property
    def recorded(self) -> bool:
        return self.recorded_at is not None

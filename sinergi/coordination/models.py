"""Meetings between agencies (an audience, a coordination meeting), their decisions and action items.

Every write goes through `coordination.services`; the overdue rule is `coordination.followup`.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.coordination import followup
from sinergi.regions.queries import zone_of

# The zone of a meeting tied to no election: Bali's (WITA), where the reference district lies.
DEFAULT_TIME_ZONE = "Asia/Makassar"


def meeting_zone(region_code: str, election=None) -> ZoneInfo:
    """A meeting's clock: the zone of its region's province (a meeting in Jayapura is in WIT); for
    a region of no known province, the election's zone, else WITA."""
    return zone_of(region_code or "", election.time_zone if election is not None else DEFAULT_TIME_ZONE)


class Meeting(models.Model):
    """A meeting between agencies: when and where, who was there, the minutes (notulen)."""

    class Kind(models.TextChoices):
        AUDIENCE = "audiensi", _("Audiensi")
        COORDINATION = "rapat_koordinasi", _("Rapat koordinasi")
        OTHER = "lainnya", _("Pertemuan lainnya")

    # Optional: a standing coordination of the district concerns no single election.
    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah"))
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=200)
    starts_at = models.DateTimeField(_("waktu"))
    place = models.CharField(_("tempat"), max_length=200)
    agencies = models.ManyToManyField("accounts.Agency", related_name="+", verbose_name=_("lembaga yang hadir"))
    other_attendees = models.TextField(_("peserta lain"), max_length=2000, blank=True)
    minutes = models.TextField(_("notulen"), max_length=20000, blank=True)
    # The agency that recorded the meeting: its officers may edit everything in it.
    recorded_by = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rapat")
        verbose_name_plural = _("rapat")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["region", "starts_at"], name="meeting_region_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def time_zone(self) -> ZoneInfo:
        return meeting_zone(self.region_id, self.election if self.election_id else None)


class Decision(models.Model):
    """One decision (kesimpulan/kesepakatan) of a meeting, numbered in the order agreed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveSmallIntegerField(_("nomor"))
    text = models.TextField(_("keputusan"), max_length=2000)

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="decision_unique_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:60]}"


class ActionItem(models.Model):
    """A task agreed at a meeting: the agency that owns it, its due day (the meeting's local day),
    its status; `done_on` exactly when it is done."""

    class Status(models.TextChoices):
        OPEN = followup.OPEN, _("Terbuka")
        IN_PROGRESS = followup.IN_PROGRESS, _("Berjalan")
        DONE = followup.DONE, _("Selesai")
        CANCELLED = followup.CANCELLED, _("Dibatalkan")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    decision = models.ForeignKey(Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items")
    title = models.CharField(_("tindak lanjut"), max_length=200)
    description = models.TextField(_("uraian"), max_length=4000, blank=True)
    owner = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("penanggung jawab"))
    due_on = models.DateField(_("batas waktu"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("selesai pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=followup.STATUSES), name="action_item_known_status"),
            # A finished item says when; no other carries a day it was finished.
            models.CheckConstraint(condition=Q(status=followup.DONE, done_on__isnull=False) | (~Q(status=followup.DONE) & Q(done_on__isnull=True)), name="action_item_done_on_iff_done"),
        ]
        indexes = [models.Index(fields=["owner", "status", "due_on"], name="action_item_owner_status")]

    def __str__(self) -> str:
        return self.title

    def state(self, today) -> str:
        return followup.state(self.status, self.due_on, today)


class FollowUp(models.Model):
    """A note on an action item's progress, with the status it set (if it changed it)."""

    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="follow_ups")
    note = models.TextField(_("catatan"), max_length=4000, blank=True)
    status = models.CharField(_("status baru"), max_length=12, choices=ActionItem.Status.choices, blank=True)  # blank: unchanged
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("waktu"))

    class Meta:
        ordering = ["at", "pk"]
        # A follow-up says something: a note, a new status, or both.
        constraints = [models.CheckConstraint(condition=~Q(note="") | ~Q(status=""), name="follow_up_not_empty")]

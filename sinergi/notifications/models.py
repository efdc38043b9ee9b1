"""Notifications (docs/notifications.md): what a person is told, in the app and through the
outbound channels. A `Notification` is one message to one user, listed on /notifikasi/; each
channel it leaves through (e-mail, SMS, Web Push) is a `Delivery`, sent by a background task that
records its attempts and failure. A `Broadcast` is a message an officer sent to many at once,
whose notifications carry the acknowledgement."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Broadcast(models.Model):
    """A message from Bawaslu or the Polres to the PTPS or officers of an area (by agency kind and
    role), each recipient acknowledging it from their notification list."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("pemilihan"))
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("pengirim"))
    sender_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("lembaga pengirim"))
    area = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah"))
    agency_kind = models.CharField(_("jenis lembaga penerima"), max_length=20)
    role = models.CharField(_("peran penerima"), max_length=10, blank=True)
    title = models.CharField(_("judul"), max_length=150)
    body = models.TextField(_("isi"), blank=True)
    created_at = models.DateTimeField(_("dikirim"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("siaran")
        verbose_name_plural = _("siaran")

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    """One message to one user: listed (unread first) on the user's /notifikasi/ page."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("penerima"))
    kind = models.CharField(_("jenis"), max_length=40)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("pemilihan"))
    # The caller's name for the event (e.g. "incident:12:referred"): one notification per recipient
    # and key, so an event handled twice (a retried task) never notifies twice. Empty: no dedupe.
    source_key = models.CharField(_("kunci sumber"), max_length=120, blank=True)
    # The `notify` call that wrote the row (its deliveries are enqueued for these rows only).
    batch = models.CharField(max_length=32, db_index=True)
    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications", verbose_name=_("siaran"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("dikonfirmasi"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "source_key"], condition=~Q(source_key=""), name="notification_once_per_source")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")

    def __str__(self) -> str:
        return self.title

    @property
    def needs_acknowledgement(self) -> bool:
        return self.broadcast_id is not None and self.acknowledged_at is None


class PushSubscription(models.Model):
    """One browser (a desk page or the field app on a phone) subscribed to Web Push for a user.
    `disabled_at` is set when the push service says the subscription is gone (404/410)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions", verbose_name=_("pengguna"))
    endpoint = models.URLField(_("alamat layanan push"), max_length=600, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(_("peramban"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("didaftarkan"), auto_now_add=True)
    disabled_at = models.DateTimeField(_("dinonaktifkan"), null=True, blank=True)

    class Meta:
        verbose_name = _("langganan push")
        verbose_name_plural = _("langganan push")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.endpoint[:60]}"


class Delivery(models.Model):
    """A notification leaving through one channel to one address, sent by `tasks.deliver`."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Surel")
        SMS = "sms", _("SMS")
        PUSH = "push", _("Web Push")

    class Status(models.TextChoices):
        QUEUED = "antre", _("Menunggu dikirim")
        RETRYING = "ulang", _("Akan dicoba lagi")
        SENT = "terkirim", _("Terkirim")
        FAILED = "gagal", _("Gagal")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("alamat"), max_length=254, blank=True)
    subscription = models.ForeignKey(PushSubscription, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.CharField(_("kesalahan terakhir"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="delivery_status_idx")]
        verbose_name = _("pengiriman")
        verbose_name_plural = _("pengiriman")

    def __str__(self) -> str:
        return f"{self.channel} → {self.address} ({self.status})"

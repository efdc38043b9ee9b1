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


class Case(models.Model):
    """A suspected violation: a supervisor's finding (temuan) or a report (laporan) from a voter, a
    monitor or a participant, with the facts of Bawaslu's Model B.1 form. Its deadlines are
    computed from `known_on` and `received_at` (`cases.services.deadlines_of`), never stored."""

    class Kind(models.TextChoices):
        FINDING = "temuan", _("Temuan")
        REPORT = "laporan", _("Laporan")

    class Source(models.TextChoices):
        SUPERVISOR = "pengawas", _("Pengawas pemilu")
        VOTER = "pemilih", _("Warga negara yang punya hak pilih")
        MONITOR = "pemantau", _("Pemantau pemilu")
        PARTICIPANT = "peserta", _("Peserta pemilu")

    class Status(models.TextChoices):
        RECEIVED = "diterima", _("Diterima")
        REVIEW = "kajian_awal", _("Kajian awal")
        REGISTERED = "teregistrasi", _("Teregistrasi")
        NOT_REGISTERED = "tidak_diregistrasi", _("Tidak diregistrasi")
        EXAMINATION = "pemeriksaan", _("Pemeriksaan")
        DECIDED = "diputus", _("Diputus")

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah kejadian"))
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    tracking_code = models.CharField(_("kode pelacakan"), max_length=14, unique=True)
    # The reporter (a finding's is the supervisor who found it).
    reporter_name = models.CharField(_("nama pelapor"), max_length=120)
    reporter_address = models.CharField(_("alamat pelapor"), max_length=300)
    reporter_phone = models.CharField(_("telepon pelapor"), max_length=20, blank=True)
    reporter_email = models.EmailField(_("surel pelapor"), blank=True)
    # The reported party and the event.
    reported_party = models.CharField(_("terlapor"), max_length=300, blank=True)
    occurred_on = models.DateField(_("tanggal kejadian"))
    occurred_place = models.CharField(_("tempat kejadian"), max_length=300)
    known_on = models.DateField(_("tanggal diketahui"))
    description = models.TextField(_("uraian kejadian"), max_length=8000)
    witnesses = models.JSONField(_("saksi"), default=list, blank=True)  # [{"nama": ..., "alamat": ...}]
    received_at = models.DateTimeField(_("diterima"))
    incident = models.ForeignKey("supervisors.Incident", on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("perkara")
        verbose_name_plural = _("perkara")
        ordering = ["-received_at"]
        constraints = [models.CheckConstraint(condition=Q(occurred_on__lte=models.F("known_on")), name="case_known_after_it_happened")]

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DayOff(models.Model):
    """A day off the `holidays` package does not know: a regional holiday, a decree that adds or
    moves a day off. It stops working-day deadlines of cases in its region (everywhere when no
    region is given). Managed with `cases.services.add_day_off` / `remove_day_off`, audited."""

    day = models.DateField(_("tanggal"))
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("wilayah"), help_text=_("Kosong: seluruh wilayah.")
    )
    reason = models.CharField(_("alasan"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("dicatat oleh"))
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

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
        # The values and their order are cases/workflow.py's; labels here are for the interface.
        RECEIVED = "diterima", _("Diterima")
        INCOMPLETE = "perlu_dilengkapi", _("Perlu dilengkapi pelapor")
        REGISTERED = "teregistrasi", _("Teregistrasi")
        NOT_REGISTERED = "tidak_diregistrasi", _("Tidak diregistrasi")
        EXAMINATION = "pemeriksaan", _("Pemeriksaan/klarifikasi")
        DECIDED = "diputus", _("Diputus")
        GAKKUMDU = "pembahasan_gakkumdu", _("Pembahasan Sentra Gakkumdu")
        INVESTIGATION = "penyidikan", _("Penyidikan Kepolisian")
        PROSECUTION = "penuntutan", _("Berkas di penuntut umum")
        FILE_RETURNED = "berkas_dikembalikan", _("Berkas dikembalikan ke penyidik")
        FILE_COMPLETE = "berkas_lengkap", _("Berkas lengkap (P-21)")
        TRIAL = "sidang_pn", _("Sidang pengadilan negeri")
        VERDICT = "putusan_pn", _("Putusan pengadilan negeri")
        APPEAL = "banding", _("Banding di pengadilan tinggi")
        CLOSED = "selesai", _("Selesai")

    class Outcome(models.TextChoices):
        NOT_VIOLATION = "bukan_pelanggaran", _("Bukan pelanggaran")
        ADMINISTRATIVE = "administratif", _("Pelanggaran administratif")
        ETHICS = "kode_etik", _("Pelanggaran kode etik (ke DKPP)")
        OTHER_LAWS = "hukum_lainnya", _("Pelanggaran hukum lainnya (ke instansi berwenang)")
        CRIME = "tindak_pidana", _("Dugaan tindak pidana pemilu (Sentra Gakkumdu)")

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
    # The workflow (cases/workflow.py, cases/services.take_step).
    status_since = models.DateTimeField(_("status sejak"))
    registration_number = models.CharField(_("nomor registrasi"), max_length=60, unique=True, null=True, blank=True)
    checklist = models.JSONField(_("syarat formal dan materiel"), default=dict, blank=True)  # {code: bool}
    extended = models.BooleanField(_("waktu pemeriksaan diperpanjang"), default=False)
    outcome = models.CharField(_("putusan"), max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("perkara")
        verbose_name_plural = _("perkara")
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(condition=Q(occurred_on__lte=models.F("known_on")), name="case_known_after_it_happened"),
            # Only a registered case has a number; a decided one has its outcome.
            models.CheckConstraint(condition=Q(registration_number__isnull=True) | ~Q(status__in=["diterima", "perlu_dilengkapi", "tidak_diregistrasi"]), name="case_number_only_when_registered"),
            models.CheckConstraint(condition=Q(outcome="") | Q(registration_number__isnull=False), name="case_outcome_after_registration"),
        ]
        indexes = [models.Index(fields=["election", "status"], name="case_election_status")]

    def __str__(self) -> str:
        return self.registration_number or self.tracking_code

    @property
    def time_zone(self) -> ZoneInfo:
        """Local time of the case's region: its deadlines end at 23.59 there (WIT in Papua)."""
        return self.election.zone_at(self.region_id)


class Evidence(models.Model):
    """A file sent with a case (a photo, a scanned document, a PDF); kept in the default storage."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="cases/%Y/%m/")
    name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")
        ordering = ["uploaded_at", "pk"]


class Step(models.Model):
    """One step taken on a case (cases/workflow.ACTIONS): who, when, from and to which status, the
    note, and the deadline it met or missed. Deliberations are for Gakkumdu members only."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(_("langkah"), max_length=30)
    from_status = models.CharField(max_length=20, choices=Case.Status.choices)
    to_status = models.CharField(max_length=20, choices=Case.Status.choices)
    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("catatan"), max_length=8000, blank=True)
    outcome = models.CharField(max_length=20, choices=Case.Outcome.choices, blank=True)
    event = models.CharField(max_length=30, blank=True)  # the deadline start it set (deadlines.py)
    public = models.BooleanField(default=False)
    deliberation = models.BooleanField(default=False)
    # The deadline that ran until this step, as computed then, and whether the step missed it.
    deadline = models.CharField(max_length=600, blank=True)
    late = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "pk"]


class Reminder(models.Model):
    """A reminder of a running deadline (half time, one day before, overdue), sent once by
    `sinergi case-reminders`; `superseded` when a later one was due by the time it ran."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    rule = models.CharField(max_length=30)
    since = models.DateTimeField()  # when the status whose deadline it is began
    kind = models.CharField(max_length=20)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField()
    superseded = models.BooleanField(default=False)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["due_at"]
        constraints = [models.UniqueConstraint(fields=["case", "rule", "since", "kind"], name="one_reminder_per_deadline_and_kind")]

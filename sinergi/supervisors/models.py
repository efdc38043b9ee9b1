from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.regions import codes
from sinergi.regions.queries import zone_of
from sinergi.supervisors import incident_flow as flow


class Supervisor(models.Model):
    """A person on the supervisors' roster of one election, with only the data the job needs."""

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class Education(models.TextChoices):
        # In order: the requirement is "at least SMA".
        SD = "sd", "SD"
        SMP = "smp", "SMP"
        SMA = "sma", _("SMA/SMK/sederajat")
        D3 = "d3", "D3"
        S1 = "s1", "S1/D4"
        S2 = "s2", "S2"
        S3 = "s3", "S3"

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama"), max_length=120)
    nik = models.CharField(_("NIK"), max_length=16)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    education = models.CharField(_("pendidikan terakhir"), max_length=3, choices=Education.choices)
    residence = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("desa/kelurahan domisili"))
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    registered_on = models.DateField(_("tanggal pendaftaran"))
    declarations = models.JSONField(_("pernyataan"), default=dict)  # code -> True/False, docs/domain.md §7
    fictitious = models.BooleanField(default=False)  # demo data
    # The account the supervisor files reports with (a PTPS files only for the TPS of its active post).
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="supervisor")

    class Meta:
        ordering = ["election", "name"]
        constraints = [models.UniqueConstraint(fields=["election", "nik"], name="supervisor_unique_nik")]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A supervisor's post: PTPS of a TPS, PKD of a village or Panwascam of a kecamatan."""

    class Role(models.TextChoices):
        PTPS = "ptps", _("Pengawas TPS (PTPS)")
        PKD = "pkd", _("Panwaslu Kelurahan/Desa (PKD)")
        PANWASCAM = "panwascam", _("Panwaslu Kecamatan")

    class Status(models.TextChoices):
        APPLICANT = "pendaftar", _("Pendaftar (belum memenuhi syarat)")
        ELIGIBLE = "memenuhi_syarat", _("Memenuhi syarat")
        INAUGURATED = "dilantik", _("Dilantik")
        REPLACED = "diganti", _("Diganti")

    ACTIVE = (Status.ELIGIBLE, Status.INAUGURATED)

    supervisor = models.ForeignKey(Supervisor, on_delete=models.PROTECT, related_name="assignments")
    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices)
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, null=True, blank=True, related_name="supervisor_assignments")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah tugas")
    )  # the TPS's village, the village, or the kecamatan
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    failed_checks = models.JSONField(_("syarat yang belum terpenuhi"), default=list, blank=True)
    started_on = models.DateField(_("mulai"))
    ended_on = models.DateField(_("selesai"), null=True, blank=True)
    replaced_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    end_reason = models.CharField(_("alasan penggantian"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["election", "region_id", "station__number"]
        constraints = [
            # Exactly one active PTPS per TPS; a replaced one keeps its row (history).
            models.UniqueConstraint(
                fields=["station"], condition=models.Q(role="ptps", status__in=["memenuhi_syarat", "dilantik"]), name="one_active_ptps_per_station"
            ),
            # One active post per person.
            models.UniqueConstraint(
                fields=["supervisor"], condition=models.Q(status__in=["memenuhi_syarat", "dilantik"]), name="one_active_post_per_supervisor"
            ),
            models.CheckConstraint(condition=~models.Q(role="ptps") | models.Q(station__isnull=False), name="ptps_has_station"),
        ]


class Venue(models.Model):
    """A place where supervisors are sworn in."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nama"), max_length=150)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kecamatan/desa"))
    island = models.CharField(_("pulau"), max_length=120, default="daratan")  # "daratan", or the crossing that reaches it
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("kapasitas"))
    priority = models.PositiveSmallIntegerField(_("urutan"), default=0)  # lower first: the main venue is filled first

    class Meta:
        ordering = ["election", "priority", "name"]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("mulai"))

    class Meta:
        ordering = ["starts_at", "venue__priority"]
        constraints = [models.UniqueConstraint(fields=["venue", "starts_at"], name="session_unique_start_at_venue")]


class Invitation(models.Model):
    """A supervisor invited to an inauguration session; checked in by scanning the invitation's QR code."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="invitation")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="invitations")
    checked_in_at = models.DateTimeField(_("hadir pada"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["session", "assignment__region_id", "assignment__station__number"]


class Question(models.Model):
    """One item of a stage's checklist in Form A (per election, as data)."""

    class Stage(models.TextChoices):
        PREPARATION = "persiapan", _("Persiapan pemungutan suara")
        VOTING = "pemungutan", _("Pemungutan suara")
        COUNTING = "penghitungan", _("Penghitungan suara")
        TRANSFER = "pengiriman", _("Pengiriman hasil")

    class Kind(models.TextChoices):
        YES_NO = "ya_tidak", _("Ya/tidak")
        NUMBER = "angka", _("Angka")
        TEXT = "teks", _("Teks")
        PHOTO = "foto", _("Foto")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(_("tahap"), max_length=12, choices=Stage.choices)
    code = models.SlugField(_("kode"), max_length=40)
    text = models.CharField(_("pertanyaan"), max_length=300)
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    required = models.BooleanField(_("wajib"), default=False)
    order = models.PositiveSmallIntegerField(default=0)
    # An answer the police read too (docs/supervisors.md, "Who reads voting day"): what bears on
    # the security of the TPS. Marked per election, as data: the preset's choice
    # (checklists.SECURITY), changed by Bawaslu on the checklist page.
    security = models.BooleanField(_("untuk kepolisian"), default=False)
    # For a yes/no question: the answer that needs attention (a box not sealed: False; intimidation:
    # True). The coverage board lists the TPS that gave it (`coverage.Coverage.concerns`). None: none.
    concern = models.BooleanField(_("jawaban yang perlu perhatian"), null=True, blank=True)

    class Meta:
        ordering = ["election", "stage", "order"]
        constraints = [models.UniqueConstraint(fields=["election", "stage", "code"], name="question_unique_code")]


def report_register(village_code: str, observed_at, time_zone: str) -> str:
    """The register a report is numbered in: its district and the year of the observation where it
    happened (the zone of the TPS's province; `time_zone`, the election's, for a code of no known
    province), "51.05/2024"."""
    return f"{codes.district_of(village_code)}/{observed_at.astimezone(zone_of(village_code, time_zone)):%Y}"


def report_number(serial: int | None, register: str, observed_at, time_zone: str) -> str:
    """The month and year are those of the observation where it happened (the zone of the
    register's province, else `time_zone`): 1 March 07.00 WITA is a March report, though it is
    still February in UTC. Empty until the report is numbered (supervisors/sealing.py)."""
    if serial is None:
        return ""
    local = observed_at.astimezone(zone_of(register, time_zone))
    return f"{serial:05d}/LHP/PM.01.03/{register.split('/')[0]}/{local:%m}/{local:%Y}"


class Report(models.Model):
    """A supervisor's report (Form A, Laporan Hasil Pengawasan) for one stage at one TPS.

    `client_id` is made by the phone before sending: the same id always means the same report, so
    a retry after a lost answer never stores a second one."""

    class Via(models.TextChoices):
        WEB = "web", _("Web")
        APP = "aplikasi", _("Aplikasi luring")
        SMS = "sms", "SMS"
        API = "api", "API"

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="reports")
    stage = models.CharField(_("tahap"), max_length=12, choices=Question.Stage.choices)
    client_id = models.UUIDField(_("id laporan"), unique=True)
    answers = models.JSONField(_("jawaban"), default=dict)
    narrative = models.TextField(_("uraian singkat"), blank=True, max_length=4000)
    observed_at = models.DateTimeField(_("waktu pengawasan"))
    received_at = models.DateTimeField(_("diterima"), auto_now_add=True)
    via = models.CharField(max_length=8, choices=Via.choices, default=Via.WEB)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Chained into the audit trail yet (supervisors/sealing.py)?
    audited = models.BooleanField(default=False)
    # The official number: `serial` counts 1, 2, 3 … without gaps within `register` (district and
    # year, "51.05/2024"), given in the same transaction that chains the report into the audit
    # trail (supervisors/sealing.py), so that ids lost to retries and rollbacks leave no holes.
    register = models.CharField(max_length=10, blank=True, default="", db_default="")
    serial = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["id"], condition=models.Q(audited=False), name="report_not_audited")]
        constraints = [models.UniqueConstraint(fields=["register", "serial"], condition=models.Q(serial__isnull=False), name="report_unique_serial")]

    @property
    def number(self) -> str:
        """In Bawaslu's LHP style, from the report's serial in the register of its district and
        year, and the month of the observation: 00017/LHP/PM.01.03/51.05/02/2024. Empty until the
        report is numbered, normally within a second of its arrival."""
        return report_number(self.serial, self.register, self.observed_at, self.election.time_zone)


class Incident(models.Model):
    """Something that happened at a TPS, reported by its supervisor (idempotent like a report)."""

    class Severity(models.TextChoices):
        LOW = "rendah", _("Rendah")
        MEDIUM = "sedang", _("Sedang")
        HIGH = "tinggi", _("Tinggi")

    class State(models.TextChoices):
        NEW = flow.NEW, _("Baru")
        REFERRED = flow.REFERRED, _("Dirujuk ke polisi")
        ACKNOWLEDGED = flow.ACKNOWLEDGED, _("Diterima polisi")
        ON_SITE = flow.ON_SITE, _("Polisi di lokasi")
        RESOLVED = flow.RESOLVED, _("Selesai")
        CLOSED = flow.CLOSED, _("Ditutup (bukan ranah polisi)")

    class Category(models.TextChoices):
        INTIMIDATION = "intimidasi", _("Intimidasi atau kekerasan")
        VOTE_BUYING = "politik_uang", _("Politik uang")
        INELIGIBLE_VOTER = "pemilih_tidak_berhak", _("Pemilih tidak berhak")
        LOGISTICS = "logistik", _("Logistik kurang, rusak atau tertukar")
        PROCEDURE = "prosedur", _("Prosedur tidak dijalankan")
        DISASTER = "bencana", _("Bencana atau cuaca")
        OTHER = "lainnya", _("Lainnya")

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="incidents")
    client_id = models.UUIDField(_("id kejadian"), unique=True)
    category = models.CharField(_("kategori"), max_length=24, choices=Category.choices)
    severity = models.CharField(_("tingkat"), max_length=8, choices=Severity.choices)
    occurred_at = models.DateTimeField(_("waktu kejadian"))
    description = models.TextField(_("uraian"), max_length=4000)
    received_at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=8, choices=Report.Via.choices, default=Report.Via.WEB)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    audited = models.BooleanField(default=False)
    # Its owner, state and clock (supervisors/incident_flow.py, supervisors/incidents.py): written
    # only by the incident services, each change a step (IncidentStep) with its audit event.
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=flow.NEW, db_default=flow.NEW)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("dirujuk ke"))
    escalated_to = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("dieskalasi ke"))
    referred_at = models.DateTimeField(_("dirujuk pada"), null=True, blank=True)
    acknowledge_due = models.DateTimeField(_("batas diterima"), null=True, blank=True)
    arrival_due = models.DateTimeField(_("batas tiba"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("dieskalasi pada"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["id"], condition=models.Q(audited=False), name="incident_not_audited"),
            # The escalation sweep reads only the incidents whose clock still runs.
            models.Index(fields=["arrival_due"], condition=models.Q(escalated_at__isnull=True, state__in=flow.WAITING_ARRIVAL), name="incident_clock_running"),
        ]


class IncidentStep(models.Model):
    """One step of an incident's handling, never changed afterwards: its referral, acknowledgement,
    arrival, resolution or closing (by a person, `client_id` making a repeat harmless), or its
    escalation (by the clock). `tell` lists who must be told of it, as `agency:<id>` and
    `user:<id>` (the notifications hook: docs/incidents.md)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="steps")
    class Action(models.TextChoices):
        REFER = flow.REFER, _("Dirujuk")
        ACKNOWLEDGE = flow.ACKNOWLEDGE, _("Diterima")
        ARRIVE = flow.ARRIVE, _("Tiba di lokasi")
        RESOLVE = flow.RESOLVE, _("Diselesaikan")
        CLOSE = flow.CLOSE, _("Ditutup")
        ESCALATE = flow.ESCALATE, _("Dieskalasi")

    action = models.CharField(_("langkah"), max_length=12, choices=Action.choices)
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    at = models.DateTimeField(_("dicatat"))
    # When it happened, if the actor says so (the resolution's "when"), else `at`.
    happened_at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The agency acting (the police that acknowledged), or the one it went to (referral, escalation).
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("lembaga"))
    note = models.TextField(_("catatan"), max_length=2000, blank=True)
    done_by = models.CharField(_("oleh"), max_length=200, blank=True)  # the resolution: which officers
    client_id = models.UUIDField(null=True, blank=True, unique=True)
    tell = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["incident_id", "at", "pk"]
        constraints = [models.UniqueConstraint(fields=["incident"], condition=models.Q(action="eskalasi"), name="incident_escalated_once")]


class ResponseTimer(models.Model):
    """How fast the police must answer an incident of one severity in one election: acknowledge
    within `acknowledge_minutes` of the referral, arrive within `arrive_minutes` (plus the crossing,
    for a TPS across the sea). Without a row, `incident_flow.DEFAULT_TIMERS` hold."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+", verbose_name=_("pemilihan"))
    severity = models.CharField(_("tingkat"), max_length=8, choices=Incident.Severity.choices)
    acknowledge_minutes = models.PositiveIntegerField(_("diterima dalam (menit)"))
    arrive_minutes = models.PositiveIntegerField(_("tiba dalam (menit)"))

    class Meta:
        ordering = ["election", "severity"]
        verbose_name = _("batas waktu tanggapan kejadian")
        verbose_name_plural = _("batas waktu tanggapan kejadian")
        constraints = [
            models.UniqueConstraint(fields=["election", "severity"], name="response_timer_unique"),
            models.CheckConstraint(condition=models.Q(acknowledge_minutes__gte=1, arrive_minutes__gte=models.F("acknowledge_minutes")), name="response_timer_sane"),
        ]


class Attachment(models.Model):
    """A photo sent with a report or an incident: the supervisor's copy of the result sheet
    (C.Hasil), the answer to a photo question, or evidence. Sent after the structured report
    and on its own (idempotent on the phone-made `client_id`), so a slow photo never holds back
    the report. The file goes to the default storage: local disk, or S3-compatible by setting
    (docs/operations.md)."""

    client_id = models.UUIDField(_("id lampiran"), unique=True)
    report = models.ForeignKey(Report, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments")
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments")
    # The photo question it answers (e.g. foto_c_hasil), or "lampiran" for any other photo.
    code = models.SlugField(_("untuk"), max_length=40)
    file = models.FileField(_("berkas"), upload_to="reports/%Y/%m/%d/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["received_at"]
        constraints = [models.CheckConstraint(condition=models.Q(report__isnull=False) ^ models.Q(incident__isnull=False), name="attachment_of_one_thing")]


class FieldLogin(models.Model):
    """A PTPS's sign-in code for the field app (docs/supervisors.md, "Field sign-in codes").

    The code itself is never stored: it is derived from `nonce` and the server's SECRET_KEY
    (`supervisors.field_logins.code_of`), so a surat tugas can be printed again with the same code
    while a copy of the database alone reveals none; `digest` (a keyed hash of the code) finds the
    row when the code is typed. A post has at most one live code; revoking it (a lost phone, a
    replacement) keeps the row as history."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="field_logins")
    nonce = models.CharField(max_length=32)
    digest = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    revoke_reason = models.CharField(_("alasan pencabutan"), max_length=200, blank=True)
    # The last sign-in with this code (the sign-in itself lasts FIELD_SESSION_AGE).
    signed_in_at = models.DateTimeField(_("terakhir masuk"), null=True, blank=True)
    # Sending by SMS (supervisors/tasks.py): queued by a person, sent (or failed) by the task.
    sms_queued_at = models.DateTimeField(null=True, blank=True)
    sms_sent_at = models.DateTimeField(null=True, blank=True)
    sms_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["assignment_id", "-issued_at"]
        constraints = [models.UniqueConstraint(fields=["assignment"], condition=models.Q(revoked_at__isnull=True), name="one_live_field_login_per_post")]

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """Long work a person asked for from a page, run by the task worker (core/jobs.py): what its
    status page shows while it runs and after. The task queue's own row (django-tasks-db) is the
    worker's bookkeeping; this row is what the asker's agency may see, in their words."""

    class Status(models.TextChoices):
        QUEUED = "antre", _("Menunggu giliran")
        RUNNING = "berjalan", _("Sedang dikerjakan")
        DONE = "selesai", _("Sudah selesai")
        FAILED = "gagal", _("Gagal")

    FINISHED = (Status.DONE, Status.FAILED)

    kind = models.CharField(_("jenis"), max_length=40)
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+", verbose_name=_("pemilihan"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("diminta oleh"))
    # Who may see the status: the asker's agency (None: the asker alone, e.g. the operator).
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, null=True, related_name="+", verbose_name=_("lembaga"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.CharField(_("tahap"), max_length=200, blank=True)
    error = models.TextField(_("kesalahan"), blank=True)
    result = models.JSONField(_("hasil"), default=dict, blank=True)
    task_id = models.CharField(_("id tugas antrean"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    started_at = models.DateTimeField(_("waktu mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("waktu selesai"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["election", "kind", "status"], name="core_job_active_idx")]
        verbose_name = _("tugas latar")
        verbose_name_plural = _("tugas latar")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def title(self) -> str:
        from sinergi.core.jobs import KINDS

        return str(KINDS.get(self.kind, self.kind))

    @property
    def error_text(self) -> str:
        """The error in the reader's language (stored in Indonesian, the source language)."""
        return gettext(self.error) if self.error else ""


class WorkerHeartbeat(models.Model):
    """A running `sinergi worker` says it is alive: one row per worker process, its `seen_at`
    renewed every few seconds by the worker's scheduler thread (core/schedule.py). Pages tell staff
    when the newest one is old while work waits (`schedule.worker_late`)."""

    worker_id = models.CharField(_("id pekerja"), max_length=64, unique=True)
    hostname = models.CharField(_("mesin"), max_length=200, blank=True)
    pid = models.PositiveIntegerField(_("proses"), default=0)
    started_at = models.DateTimeField(_("mulai"))
    seen_at = models.DateTimeField(_("terakhir terlihat"), db_index=True)

    class Meta:
        verbose_name = _("detak pekerja")
        verbose_name_plural = _("detak pekerja")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.seen_at:%Y-%m-%d %H:%M:%S})"


class PeriodicRun(models.Model):
    """When a periodic task of core/schedule.py was last enqueued: the row every worker's scheduler
    claims with one conditional UPDATE, so that several workers enqueue it once per interval."""

    name = models.CharField(_("nama"), max_length=60, primary_key=True)
    last_enqueued_at = models.DateTimeField(_("terakhir diantrekan"), null=True, blank=True)

    class Meta:
        verbose_name = _("tugas berkala")
        verbose_name_plural = _("tugas berkala")

    def __str__(self) -> str:
        return self.name

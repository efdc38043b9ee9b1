"""Long work asked for from a page runs as a background task (django.tasks, queued in the database
and run by `sinergi worker`), never inside the request. A `Job` row (core/models.py) carries what
the asker sees: queued, running with its current step, done with a link to the result, or failed
with a message in Indonesian. The page that asks calls `queue`; the task wraps its work in
`running`; `core/job_views.py` shows the status, refreshed by htmx while the job is not finished.

A task writes through the same service functions as the synchronous path (a durable transaction
with its audit event, as the actor who asked), so the audit trail does not depend on where the
work ran.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from sinergi.core.models import Job

if TYPE_CHECKING:  # core imports no app of Sinergi's at run time: it sits below them all
    from sinergi.accounts.models import User
    from sinergi.elections.models import Election

# What each kind of job is called on its status page.
KINDS = {
    "logistics.replan": _("Penyusunan rencana distribusi"),
    "supervisors.field_code_slips": _("Slip kode masuk PTPS (PDF)"),
}

# Stored untranslated (the worker has no request language) and translated when shown.
UNEXPECTED = gettext_noop("Pekerjaan gagal karena kesalahan sistem (tercatat di log proses pekerja). Coba lagi; bila terulang, hubungi operator.")
# A job still queued after this long suggests that no worker runs.
STALLED_AFTER_SECONDS = 60
# A document a job made waits this long for its one download, then is removed (`purge_files`).
FILE_KEPT_SECONDS = 3600


def queue(*, actor: User | None, election: Election, kind: str, task, args: tuple = ()) -> Job:
    """Record a job and enqueue `task(job.pk, *args)` once that is committed (a worker must find
    the row). The caller has checked the actor's permission. `kind` is a key of KINDS."""
    assert kind in KINDS, kind
    purge_files()
    with transaction.atomic(durable=True):
        job = Job.objects.create(kind=kind, election=election, created_by=actor, agency=actor.agency if actor is not None else None)

        def enqueue():
            result = task.enqueue(job.pk, *args)
            Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

        transaction.on_commit(enqueue)
    return job


@contextmanager
def running(job_id: int) -> Iterator[Job]:
    """Inside a task: mark the job running, yield it (with its election and asker loaded), then
    mark it done with whatever the block put in `job.result`, or failed with the error's message
    (a refusal's own Indonesian message; `UNEXPECTED` for anything else). The error is raised
    again so that the task queue records the failure and the worker logs its traceback."""
    job = Job.objects.select_related("election", "created_by__agency").get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=timezone.now(), progress="")
    try:
        yield job
    except (ValidationError, PermissionDenied) as error:
        text = error.messages[0] if isinstance(error, ValidationError) else (str(error) or gettext_noop("Anda tidak berwenang melakukan ini."))
        Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, finished_at=timezone.now(), error=text, result=job.result)
        raise
    except BaseException:
        Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, finished_at=timezone.now(), error=UNEXPECTED, result=job.result)
        raise
    Job.objects.filter(pk=job_id).update(status=Job.Status.DONE, finished_at=timezone.now(), result=job.result, progress="")


def progress_of(job: Job) -> Callable[[str], None]:
    """A callback that shows a step of the work on the status page (its own small write, outside
    the work's transaction, so the page sees it at once)."""

    def report(message: str) -> None:
        Job.objects.filter(pk=job.pk).update(progress=message[:200])

    return report


def jobs_visible_to(user: User, election: Election) -> QuerySet[Job]:
    """The election's jobs the user may follow: those asked by their agency (a user without one:
    their own); every job for a superuser."""
    return jobs_of(user, Job.objects.filter(election=election))


def jobs_of(user: User, jobs: QuerySet[Job]) -> QuerySet[Job]:
    """Of `jobs`, those the user may follow (see `jobs_visible_to`)."""
    if user.is_superuser:
        return jobs
    return jobs.filter(Q(agency_id=user.agency_id) if user.agency_id else Q(created_by=user, agency__isnull=True))


def unfinished_jobs(user: User, election: Election, kind: str) -> list[Job]:
    """The user's agency's jobs of `kind` still queued or running (a page shows them as a banner)."""
    return list(jobs_visible_to(user, election).filter(kind=kind).exclude(status__in=Job.FINISHED).select_related("election"))


def stalled(job: Job) -> bool:
    return job.status == Job.Status.QUEUED and (timezone.now() - job.created_at).total_seconds() > STALLED_AFTER_SECONDS


def store_file(job: Job, content: bytes, *, filename: str) -> dict:
    """Inside a task: keep a document the job made in the default storage, under a name nobody can
    guess, for the asker's one download (`take_file`); what to put in `job.result`."""
    name = default_storage.save(f"pekerjaan/{job.pk}-{get_random_string(24)}.pdf", ContentFile(content))
    return {"file": name, "filename": filename}


def take_file(job: Job) -> bytes | None:
    """The job's document, removed from the storage as it is handed over (it may hold secrets, such
    as field codes): None when already taken or purged."""
    name = job.result.get("file")
    if not name:
        return None
    with transaction.atomic(durable=True):
        # One download even with two requests at once: only the request that clears the name reads.
        if not Job.objects.filter(pk=job.pk, result__file=name).update(result={**job.result, "file": "", "taken_at": timezone.now().isoformat()}):
            return None
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    finally:
        default_storage.delete(name)


def purge_files() -> int:
    """Remove the documents of jobs finished over FILE_KEPT_SECONDS ago and never downloaded."""
    old = Job.objects.filter(finished_at__lt=timezone.now() - timedelta(seconds=FILE_KEPT_SECONDS), result__has_key="file").exclude(result__file="")
    purged = 0
    for job in old:
        default_storage.delete(job.result["file"])
        Job.objects.filter(pk=job.pk).update(result={**job.result, "file": ""})
        purged += 1
    return purged

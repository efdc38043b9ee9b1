"""Periodic background work and the worker's heartbeat.

`PERIODIC` is the one registry of tasks that run on a clock (name, dotted path of a `@task`
function taking no argument, interval). `sinergi worker` (core/management/commands/worker.py)
runs the task queue's worker and, in a thread beside it, `tick()` every few seconds: each periodic
task whose interval has passed is enqueued once — also with several workers, since each claims the
task's `PeriodicRun` row with one conditional UPDATE — and the worker's `WorkerHeartbeat` row is
renewed. `worker_late()` tells the pages that background work is late: the newest heartbeat is
older than `LATE_AFTER` while tasks wait, or on any election's voting day.

A larger deployment that runs the same tasks on another backend (RQ on Redis, docs/operations.md)
still runs `sinergi worker --scheduler-only` once for the clock and the heartbeat.
"""

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string

from sinergi.core.models import PeriodicRun, WorkerHeartbeat


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str  # dotted path of a django.tasks Task taking no argument
    every: timedelta


PERIODIC: tuple[Periodic, ...] = (
    # Case deadlines' reminders (half time, one day before, overdue; each once): cases/reminders.py.
    Periodic("cases.reminders", "sinergi.cases.tasks.send_case_reminders", timedelta(minutes=5)),
    # Documents of finished jobs never downloaded (core/jobs.py, FILE_KEPT_SECONDS).
    Periodic("core.job_files", "sinergi.core.tasks.purge_job_files", timedelta(minutes=30)),
    # Incidents whose response clock ran out, escalated once each (docs/incidents.md); each referral
    # also queues its own check at its due time, this sweep catches any the queue lost or delayed.
    Periodic("incidents.escalation", "sinergi.supervisors.tasks.escalate_overdue_incidents", timedelta(seconds=30)),
)

# How often the worker's scheduler thread wakes up (and renews its heartbeat).
TICK_SECONDS = 10
# A heartbeat older than this means no worker runs.
LATE_AFTER = timedelta(minutes=2)


def due(now: datetime, last: datetime | None, every: timedelta) -> bool:
    return last is None or now - last >= every


def tick(now: datetime | None = None, registry: tuple[Periodic, ...] | None = None) -> list[str]:
    """Enqueue every periodic task whose interval has passed since it was last enqueued (by any
    worker). Returns the names enqueued by this call."""
    now = now or timezone.now()
    enqueued = []
    for periodic in PERIODIC if registry is None else registry:
        PeriodicRun.objects.get_or_create(name=periodic.name)
        # The claim: only one worker's UPDATE finds the row still due.
        claimed = PeriodicRun.objects.filter(Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lte=now - periodic.every), name=periodic.name).update(
            last_enqueued_at=now
        )
        if claimed:
            import_string(periodic.task).enqueue()
            enqueued.append(periodic.name)
    return enqueued


def beat(worker_id: str, started_at: datetime, now: datetime | None = None) -> None:
    """Renew this worker's heartbeat row (created on its first beat)."""
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(worker_id=worker_id, hostname=socket.gethostname()[:200], pid=os.getpid(), started_at=started_at, seen_at=now)


def forget(worker_id: str) -> None:
    """A worker stopping cleanly removes its row (a crashed one's row just grows old)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def worker_state_sql(now: datetime) -> tuple[list[str], list]:
    """The three columns `worker_late` needs, as SQL select expressions with their parameters, so
    that a page's header can fetch them in the same query as the unread count
    (notifications/queries.py): the newest heartbeat, whether a task waits to run, whether some
    election votes today (in the deployment's time zone)."""
    from django.apps import apps
    from django_tasks_db.models import DBTaskResult, get_date_max

    Election = apps.get_model("elections", "Election")  # core imports no app of Sinergi's: it sits below them all

    q = connection.ops.quote_name
    at = connection.ops.adapt_datetimefield_value
    columns = [
        f"(SELECT MAX({q('seen_at')}) FROM {q(WorkerHeartbeat._meta.db_table)})",
        f"EXISTS(SELECT 1 FROM {q(DBTaskResult._meta.db_table)} WHERE {q('status')} = %s AND ({q('run_after')} <= %s OR {q('run_after')} = %s))",
        f"EXISTS(SELECT 1 FROM {q(Election._meta.db_table)} WHERE {q('voting_date')} = %s)",
    ]
    params = ["READY", at(now), at(get_date_max()), connection.ops.adapt_datefield_value(timezone.localdate(now))]
    return columns, params


def late_from(now: datetime, newest, waiting, voting_day) -> bool:
    """`worker_late`'s rule on the three columns of `worker_state_sql`."""
    if isinstance(newest, str):  # SQLite answers MAX() of a datetime column as text
        newest = parse_datetime(newest)
        if newest is not None and timezone.is_naive(newest):
            newest = timezone.make_aware(newest, UTC)
    if newest is not None and now - newest < LATE_AFTER:
        return False
    return bool(waiting) or bool(voting_day)


def worker_late(now: datetime | None = None) -> bool:
    """Whether pages should say that background work is late: no worker has beaten within
    LATE_AFTER and either a task is waiting to run or some election votes today. One query."""
    now = now or timezone.now()
    columns, params = worker_state_sql(now)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        return late_from(now, *cursor.fetchone())

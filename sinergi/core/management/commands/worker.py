"""`sinergi worker`: the one background process of a deployment.

It runs django-tasks-db's worker (the same loop as `sinergi db_worker`, which keeps working) and,
in a thread beside it, the scheduler of core/schedule.py: every TICK_SECONDS it renews this
worker's heartbeat and enqueues the periodic tasks that are due (the case reminders among them).
`--scheduler-only` runs the scheduler alone, for a deployment whose tasks run elsewhere (an RQ
worker on Redis, docs/operations.md); `--no-scheduler` the task worker alone.
"""

import logging
import threading
from argparse import BooleanOptionalAction

from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker

from sinergi.core import schedule

log = logging.getLogger("sinergi.worker")


class Scheduler(threading.Thread):
    """Beats and ticks every `interval` seconds until `stop` is set."""

    def __init__(self, worker_id: str, interval: float):
        super().__init__(name="sinergi-scheduler", daemon=True)
        self.worker_id, self.interval = worker_id, interval
        self.started_at = timezone.now()
        self.stop = threading.Event()

    def once(self) -> list[str]:
        close_old_connections()
        schedule.beat(self.worker_id, self.started_at)
        return schedule.tick()

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                try:
                    for name in self.once():
                        log.info("periodic task enqueued: %s", name)
                except Exception:  # a database hiccup must not end the scheduler
                    log.exception("scheduler tick failed; trying again in %s s", self.interval)
                self.stop.wait(self.interval)
        finally:
            connection.close()


class Command(db_worker.Command):
    help = (
        "Run Sinergi's background worker: the task queue's worker (as db_worker) and the scheduler of "
        "periodic tasks with the worker's heartbeat (docs/operations.md)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--scheduler", action=BooleanOptionalAction, default=True, help="run the periodic scheduler and heartbeat (default: on)")
        parser.add_argument("--scheduler-only", action="store_true", help="run only the scheduler and heartbeat (tasks run by another worker, e.g. RQ)")
        parser.add_argument("--tick", type=float, default=schedule.TICK_SECONDS, help="seconds between scheduler ticks (default: %(default)s)")

    def handle(self, *args, scheduler: bool, scheduler_only: bool, tick: float, **options):
        self.configure_logging(options["verbosity"])
        log.setLevel(logging.INFO if options["verbosity"] else logging.CRITICAL)
        worker_id = options["worker_id"] or get_random_string(32)
        if scheduler_only:
            thread = Scheduler(worker_id, tick)
            self.stdout.write(f"Penjadwal Sinergi berjalan (setiap {tick:g} detik); hentikan dengan Ctrl+C.")
            try:
                thread.run()  # in this thread: Ctrl+C ends it
            except KeyboardInterrupt:
                pass
            finally:
                schedule.forget(worker_id)
            return
        if options["batch"]:
            # One pass (tests, a cron job): beat and tick once, then run what is queued and exit.
            if scheduler:
                Scheduler(worker_id, tick).once()
            super().handle(*args, **{**options, "worker_id": worker_id, "reload": False})
            if scheduler:
                schedule.forget(worker_id)
            return
        thread = Scheduler(worker_id, tick) if scheduler else None
        if thread is not None and not options["reload"]:
            thread.start()
        elif thread is not None:
            # With the reloader the worker runs in a child process; the scheduler goes with it.
            original = db_worker.Worker.run

            def run_with_scheduler(worker_self):
                thread.start()
                original(worker_self)

            db_worker.Worker.run = run_with_scheduler
        try:
            super().handle(*args, **{**options, "worker_id": worker_id})
        finally:
            if thread is not None and thread.is_alive():
                thread.stop.set()
                thread.join(timeout=5)
                schedule.forget(worker_id)

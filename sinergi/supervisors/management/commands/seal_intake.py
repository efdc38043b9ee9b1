import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.utils import timezone

from sinergi.regions import codes
from sinergi.supervisors.sealing import BATCH, seal_pending, waiting

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Chain into the audit trail the reports and incidents not yet chained, district by district (run every minute on voting day; "
        "or --follow: a long-running sealer, several of which share the districts; docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--follow", action="store_true", help="keep sealing until stopped (SIGTERM, Ctrl+C), pausing --interval seconds after each pass that found no full batch")
        parser.add_argument("--interval", type=float, default=0.5, help="seconds to wait after a pass that chained less than a full batch (--follow; default %(default)s)")
        parser.add_argument("--area", action="append", default=[], help="seal only the districts within (or holding) this region code; repeatable")
        parser.add_argument("--every", type=float, default=60, help="with --follow, print what was chained every this many seconds (default %(default)s)")

    def handle(self, *args, follow=False, interval=0.5, area=(), every=60, **options):
        for code in area:
            if not codes.is_valid(code):
                raise CommandError(f"--area {code!r}: not a region code")
        areas = list(area) or None
        count, oldest = waiting()
        if oldest is not None:
            # A large age here means neither requests nor this command have been sealing: check the timer.
            self.stdout.write(f"Menunggu: {count}, yang tertua diterima {(timezone.now() - oldest).total_seconds():.0f} detik lalu.")
        if not follow:
            self.stdout.write(f"{seal_pending(areas=areas)} laporan/kejadian dirantai ke jejak audit.")
            return
        self._follow(areas, interval, every)

    def _follow(self, areas, interval: float, every: float) -> None:
        """Seal without waiting for a district another sealer holds (SKIP LOCKED on PostgreSQL), so
        that several sealers (processes or machines) share the districts; pause when idle."""
        stopping = []
        previous = {signum: signal.signal(signum, lambda *_: stopping.append(True)) for signum in (signal.SIGTERM, signal.SIGINT)}
        try:
            self._loop(areas, interval, every, stopping)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _loop(self, areas, interval: float, every: float, stopping: list) -> None:
        total, since, reported = 0, 0, time.monotonic()
        self.stdout.write("Penyegel berjalan (--follow); hentikan dengan SIGTERM atau Ctrl+C.")
        while not stopping:
            try:
                sealed = seal_pending(wait=False, areas=areas)
            except DatabaseError:
                # The database went away (restart, failover): the batch was rolled back whole; retry.
                log.exception("sealing failed; retrying")
                connection.close()
                sealed = 0
                time.sleep(max(interval, 1.0))
            total, since = total + sealed, since + sealed
            if time.monotonic() - reported >= every:
                if since:
                    self.stdout.write(f"{since} laporan/kejadian dirantai dalam {every:.0f} detik terakhir.")
                since, reported = 0, time.monotonic()
            if sealed < BATCH:
                # Caught up: wait, so that the next pass chains a batch worth its overhead (a pass per
                # report would cost more CPU than the reports). A full batch means a backlog: go on.
                time.sleep(interval)
        self.stdout.write(f"Penyegel berhenti: {total} laporan/kejadian dirantai.")

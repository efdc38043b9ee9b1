from django.core.management.base import BaseCommand
from django.utils import timezone

from sinergi.supervisors.sealing import seal_pending, waiting


class Command(BaseCommand):
    help = "Chain into the audit trail the reports and incidents not yet chained (run every minute on voting day; docs/operations.md)."

    def handle(self, *args, **options):
        count, oldest = waiting()
        if oldest is not None:
            # A large age here means neither requests nor this command have been sealing: check the timer.
            self.stdout.write(f"Menunggu: {count}, yang tertua diterima {(timezone.now() - oldest).total_seconds():.0f} detik lalu.")
        self.stdout.write(f"{seal_pending()} laporan/kejadian dirantai ke jejak audit.")

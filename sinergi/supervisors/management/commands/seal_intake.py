from django.core.management.base import BaseCommand

from sinergi.supervisors.sealing import seal_pending


class Command(BaseCommand):
    help = "Chain into the audit trail the reports and incidents not yet chained (run every minute on voting day; docs/operations.md)."

    def handle(self, *args, **options):
        self.stdout.write(f"{seal_pending()} laporan/kejadian dirantai ke jejak audit.")

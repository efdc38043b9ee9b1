from django.core.management.base import BaseCommand, CommandError

from sinergi.audit.models import AuditEvent
from sinergi.audit.queries import verify_chain
from sinergi.audit.services import seal_pending


class Command(BaseCommand):
    help = "Check that the audit hash chain is intact. Exits non-zero naming the first broken event."

    def handle(self, *args, **options):
        if sealed := seal_pending():
            self.stdout.write(f"{sealed} laporan/kejadian dirantai ke jejak audit lebih dulu.")
        broken = verify_chain()
        if broken is not None:
            where = f"event {broken.event_id}" if broken.event_id is not None else "the end of the chain"
            raise CommandError(f"Audit chain broken at {where}: {broken.reason}")
        self.stdout.write(f"Audit chain intact: {AuditEvent.objects.count()} events.")

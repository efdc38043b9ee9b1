import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.audit.models import AuditEvent
from sinergi.audit.queries import anchor_problem, unkeyed_events, verify_chain
from sinergi.audit.services import seal_pending


class Command(BaseCommand):
    help = "Check that the audit hash chain is intact (and, with --anchor, that it still reaches an anchor made earlier). Exits non-zero naming the first broken event."

    def add_arguments(self, parser):
        parser.add_argument("--anchor", type=Path, help="a file written by `sinergi audit-anchor`: the chain must still reach its head")

    def handle(self, *args, anchor=None, **options):
        summary = None
        if anchor is not None:
            try:
                summary = json.loads(anchor.read_text())
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot read the anchor {anchor}: {error}") from None
        if sealed := seal_pending():
            self.stdout.write(f"{sealed} laporan/kejadian dirantai ke jejak audit lebih dulu.")
        broken = verify_chain()
        if broken is not None:
            where = f"event {broken.event_id}" if broken.event_id is not None else "the end of the chain"
            raise CommandError(f"Audit chain broken at {where}: {broken.reason}")
        self.stdout.write(f"Audit chain intact: {AuditEvent.objects.count()} events.")
        if unkeyed := unkeyed_events():
            self.stdout.write(
                f"Note: the first {unkeyed} events sealed before the chain was keyed were checked with the unkeyed SHA-256 rule; "
                "they are covered by the first keyed event after them, not by a key of their own."
            )
        if summary is not None:
            if problem := anchor_problem(summary):
                raise CommandError(f"Audit anchor {anchor}: {problem}")
            self.stdout.write(f"The chain reaches the anchor of {summary['date']} (event {summary['last_event_id']}, {summary['count']} events).")

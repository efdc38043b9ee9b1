import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.audit.partitions import name_of, parse
from sinergi.audit.services import seal_pending
from sinergi.audit.verification import verify


class Command(BaseCommand):
    help = (
        "Check that every partition of the audit hash chain (one per district, and `nasional`) is intact — and, with --anchor, "
        "that each still reaches an anchor made earlier. Exits non-zero naming each broken partition and its first broken event."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anchor", type=Path, help="a file written by `sinergi audit-anchor`: the chain must still reach its heads")
        parser.add_argument("--partition", help="check only this partition: a district code (51.05) or `nasional`")

    def handle(self, *args, anchor=None, partition=None, **options):
        summary = None
        if anchor is not None:
            try:
                summary = json.loads(anchor.read_text())
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot read the anchor {anchor}: {error}") from None
        if partition is not None:
            try:
                partition = parse(partition)
            except ValueError as error:
                raise CommandError(str(error)) from None
        if sealed := seal_pending():
            self.stdout.write(f"{sealed} laporan/kejadian dirantai ke jejak audit lebih dulu.")
        verdict = verify(partition=partition, anchor=summary)
        problems = []
        for p, broken in sorted(verdict.breaks.items()):
            where = f"event {broken.event_id}" if broken.event_id is not None else "the end of the chain"
            problems.append(f"Audit chain broken at {where}: {broken.reason} (partition {name_of(p)})")
        for p, problem in sorted(verdict.anchor.items()):
            problems.append(f"Audit anchor {anchor}: {problem}" + ("" if p == "*" else f" (partition {name_of(p)})"))
        intact = [p for p in verdict.counts if p not in verdict.breaks]
        if problems:
            if intact:
                self.stdout.write(f"Intact: {len(intact)} partition(s), {sum(verdict.counts[p] for p in intact)} events.")
            raise CommandError("\n".join(problems))
        if partition is not None and partition not in verdict.counts:
            self.stdout.write(f"Partition {name_of(partition)} holds no events: it has no chain head.")
            return
        scope = f"partition {name_of(partition)}" if partition is not None else f"{len(verdict.counts)} partition(s)"
        self.stdout.write(f"Audit chain intact: {sum(verdict.counts.values())} events in {scope}.")
        if verdict.unkeyed:
            self.stdout.write(
                f"Note: the first {verdict.unkeyed} events sealed before the chain was keyed were checked with the unkeyed SHA-256 rule; "
                "they are covered by the first keyed event after them, not by a key of their own."
            )
        if summary is not None:
            self.stdout.write(f"The chain reaches the anchor of {summary['date']} in every partition it holds.")

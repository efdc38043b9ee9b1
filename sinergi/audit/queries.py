"""Reads of the audit trail."""

from collections.abc import Iterator

from django.db.models import QuerySet

from sinergi.audit import chain
from sinergi.audit.models import AuditEvent, AuditHead


def events_for_browsing(*, action: str = "", username: str = "", election: str = "") -> QuerySet[AuditEvent]:
    queryset = AuditEvent.objects.all()
    if action:
        queryset = queryset.filter(action=action)
    if username:
        queryset = queryset.filter(actor_username=username)
    if election:
        queryset = queryset.filter(election=election)
    return queryset.order_by("-id")


def _stored_events() -> Iterator[chain.StoredEvent]:
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        yield chain.StoredEvent(id=event.id, prev_hash=event.prev_hash, hash=event.hash, payload=event.payload())


def verify_chain() -> chain.Break | None:
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        head = AuditHead(last_hash=chain.GENESIS, count=0)  # an empty chain: no head written yet
    return chain.first_break(_stored_events(), head_hash=head.last_hash, head_count=head.count)

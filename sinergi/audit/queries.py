"""Reads of the audit trail."""

from collections.abc import Iterator

from django.db.models import Q, QuerySet

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit import chain
from sinergi.audit.models import AuditEvent, AuditHead
from sinergi.regions.queries import within


def events_for_browsing(user: User, *, action: str = "", username: str = "", election: str = "") -> QuerySet[AuditEvent]:
    """Events about objects in the viewer's area, and national ones (elections, presets)."""
    require(user, Perm.VIEW_AUDIT)
    queryset = AuditEvent.objects.filter(Q(region="") | within("region", user.area_code))
    if action:
        queryset = queryset.filter(action=action)
    if username:
        queryset = queryset.filter(actor_username=username)
    if election:
        queryset = queryset.filter(election=election)
    return queryset.order_by("-id")


def _stored_events(limit: int) -> Iterator[chain.StoredEvent]:
    for event in AuditEvent.objects.order_by("id")[:limit].iterator(chunk_size=2000):
        yield chain.StoredEvent(id=event.id, prev_hash=event.prev_hash, hash=event.hash, payload=event.payload())


def _head() -> AuditHead:
    head = AuditHead.objects.filter(pk=1).first()
    return head or AuditHead(last_hash=chain.GENESIS, count=0)  # an empty chain: no head written yet


def verify_chain() -> chain.Break | None:
    """The first break in the stored chain, or None when it is intact.

    Safe to run while Sinergi writes: the head is read first and only the events it covers are
    checked; events found beyond it must be covered by the head as read afterwards (a writer
    commits its events and the head together), else they were appended around the chain.
    """
    head = _head()
    broken = chain.first_break(_stored_events(head.count), head_hash=head.last_hash, head_count=head.count)
    if broken is not None:
        return broken
    beyond = list(AuditEvent.objects.order_by("id").values_list("id", flat=True)[head.count :])
    covered = _head().count - head.count
    if len(beyond) > covered:
        return chain.Break(beyond[covered], "it was appended without advancing the chain head")
    return None

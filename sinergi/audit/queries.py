"""Reads of the audit trail."""

from collections.abc import Iterator

from django.db.models import Q, QuerySet
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit import chain, keys
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
        yield chain.StoredEvent(id=event.id, prev_hash=event.prev_hash, hash=event.hash, payload=event.payload(), key_id=event.key_id)


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
    broken = chain.first_break(_stored_events(head.count), head_hash=head.last_hash, head_count=head.count, keyed_from=head.keyed_from, keys=keys.known())
    if broken is not None:
        return broken
    if not head._state.adding and not keys.head_is_sealed(head):
        return chain.Break(None, "the chain head was altered (its seal does not check out with the configured keys): events may have been removed")
    beyond = list(AuditEvent.objects.order_by("id").values_list("id", flat=True)[head.count :])
    covered = _head().count - head.count
    if len(beyond) > covered:
        return chain.Break(beyond[covered], "it was appended without advancing the chain head")
    return None


def unkeyed_events() -> int:
    """How many events, at the chain's beginning, were stored before the chain was keyed."""
    head = _head()
    return head.count if head.keyed_from is None else min(head.keyed_from, head.count)


def anchor() -> dict:
    """A summary of the chain head to keep outside the database, sealed with the current key: the
    local date, the last event, the length, the head's hash."""
    head = _head()
    last = AuditEvent.objects.order_by("id").values_list("id", flat=True)[head.count - 1] if head.count else None
    now = timezone.localtime()
    kid, key = keys.current()
    summary = {"date": now.date().isoformat(), "made_at": now.isoformat(timespec="seconds"), "last_event_id": last, "count": head.count, "head": head.last_hash, "key_id": kid}
    return summary | {"hmac": chain.anchor_mac(key, summary)}


def anchor_problem(summary: dict) -> str | None:
    """Why the stored chain does not reach `summary`'s head (an anchor made earlier), or None.
    Call after `verify_chain` found the chain intact: then one event's hash at the anchored
    position vouches for everything before it."""
    fields = ("date", "last_event_id", "count", "head", "key_id", "hmac")
    if not isinstance(summary, dict) or any(name not in summary for name in fields):
        return f"the anchor lacks one of {', '.join(fields)}"
    key = keys.known().get(summary["key_id"])
    if key is None:
        return f"the anchor was sealed with key id {summary['key_id']!r}, which is not configured"
    if not chain.same(chain.anchor_mac(key, summary), str(summary["hmac"])):
        return "the anchor's HMAC does not check out: the file was altered or made with another key"
    count = summary["count"]
    if not count:
        return None
    row = AuditEvent.objects.order_by("id").values_list("id", "hash")[count - 1 : count].first()
    if row is None or row != (summary["last_event_id"], summary["head"]):
        return f"the chain does not reach the anchor of {summary['date']}: event {summary['last_event_id']} with hash {summary['head'][:12]}… is not event number {count} of the chain"
    return None

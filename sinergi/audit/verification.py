"""Checking the stored audit trail, every partition at once, and anchoring its heads outside the
database (`sinergi verify-audit`, `sinergi audit-anchor`; docs/operations.md, "Audit").

One pass over the events in id order feeds each event to its partition's `chain.Walk`: no index on
the partition is needed, and a partition is checked in its chain order because a writer holds the
partition's head while it appends (later events get higher ids). Safe to run while Sinergi writes:
the heads are read first and only the events they cover are checked; events found beyond a head
must be covered by that head as read afterwards (a writer commits its events and the head
together), else they were appended around the chain.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from sinergi.audit import chain, keys
from sinergi.audit.models import AuditEvent, AuditHead
from sinergi.audit.partitions import NATIONAL, name_of, parse

OPENING = "audit.partition"  # the national event that records a district's head being opened


@dataclass
class Verdict:
    """What one check found: events checked per partition, the first break of each broken
    partition, and why the chain does not reach an anchor (per partition; "*" for the file)."""

    counts: dict[str, int] = field(default_factory=dict)
    breaks: dict[str, chain.Break] = field(default_factory=dict)
    anchor: dict[str, str] = field(default_factory=dict)
    unkeyed: int = 0

    @property
    def intact(self) -> bool:
        return not self.breaks and not self.anchor


@dataclass(frozen=True)
class _Anchored:
    count: int
    last_event_id: int | None
    head: str


def _heads(partition: str | None) -> dict[str, AuditHead]:
    rows = AuditHead.objects.all() if partition is None else AuditHead.objects.filter(partition=partition)
    heads = {head.partition: head for head in rows}
    if partition in (None, NATIONAL) and NATIONAL not in heads:
        heads[NATIONAL] = AuditHead(partition=NATIONAL, last_hash=chain.GENESIS, count=0)  # an empty trail: no head written yet
    return heads


def verify(*, partition: str | None = None, anchor: dict | None = None) -> Verdict:
    """Check every partition (or only `partition`), and with `anchor` (a summary made earlier by
    `anchor()`) that each anchored partition still reaches its anchored head."""
    verdict = Verdict()
    heads = _heads(partition)
    anchored = _anchored(anchor, verdict) if anchor is not None else {}
    if partition is not None:
        anchored = {p: a for p, a in anchored.items() if p == partition}
    known = keys.known()
    walks = {p: chain.Walk(keyed_from=head.keyed_from, keys=known) for p, head in heads.items()}
    seen = dict.fromkeys(heads, 0)
    beyond: dict[str, list[int]] = {}
    opened: dict[str, int] = {}
    events = AuditEvent.objects.order_by("id")
    if partition is not None:
        events = events.filter(partition=partition)
    for event in events.iterator(chunk_size=2000):
        p = event.partition
        if p not in heads or seen[p] >= heads[p].count:
            beyond.setdefault(p, []).append(event.id)
            continue
        seen[p] += 1
        walks[p].feed(chain.StoredEvent(id=event.id, prev_hash=event.prev_hash, hash=event.hash, payload=event.payload(), key_id=event.key_id))
        if p in anchored and seen[p] == anchored[p].count and (event.id, event.hash) != (anchored[p].last_event_id, anchored[p].head):
            verdict.anchor[p] = _not_reached(anchor, anchored[p])
        if p == NATIONAL and event.action == OPENING:
            opened[event.object_id] = event.id
    for p, head in heads.items():
        verdict.counts[p] = seen[p]
        broken = walks[p].end(head_hash=head.last_hash, head_count=head.count)
        if broken is None and not head._state.adding and not keys.head_is_sealed(head):
            broken = chain.Break(None, "the chain head was altered (its seal does not check out with the configured keys): events may have been removed")
        if broken is not None:
            verdict.breaks[p] = broken
    _check_beyond(verdict, heads, beyond)
    _check_opened(verdict, heads, opened, partition)
    for p, point in anchored.items():
        if p not in heads:
            verdict.anchor[p] = f"the anchor of {anchor['date']} holds partition {name_of(p)}, which has no chain head any more: its events were removed"
        elif point.count > heads[p].count:
            verdict.anchor[p] = _not_reached(anchor, point)
    national = heads.get(NATIONAL)
    if national is not None:
        verdict.unkeyed = national.count if national.keyed_from is None else min(national.keyed_from, national.count)
    return verdict


def _not_reached(anchor: dict, point: _Anchored) -> str:
    return (
        f"the chain does not reach the anchor of {anchor['date']}: event {point.last_event_id} with hash {point.head[:12]}… "
        f"is not event number {point.count} of its partition"
    )


def _check_beyond(verdict: Verdict, heads: dict[str, AuditHead], beyond: dict[str, list[int]]) -> None:
    """Events past a head as first read must be covered by the head as read now."""
    if not beyond:
        return
    now = dict(AuditHead.objects.filter(partition__in=list(beyond)).values_list("partition", "count"))
    for p, ids in beyond.items():
        covered = now.get(p, 0) - (heads[p].count if p in heads and not heads[p]._state.adding else 0)
        if len(ids) > covered and p not in verdict.breaks:
            reason = "it was appended without advancing the chain head" if p in now else f"it was appended to partition {name_of(p)}, which has no chain head"
            verdict.breaks[p] = chain.Break(ids[max(covered, 0)], reason)


def _check_opened(verdict: Verdict, heads: dict[str, AuditHead], opened: dict[str, int], partition: str | None) -> None:
    """Each district's head is recorded in the national chain when it is opened: a head without
    that event was added around the chain; an opening without a head lost its whole partition."""
    if partition is not None:
        if partition == NATIONAL:
            return
        opened = dict(AuditEvent.objects.filter(object_type=OPENING, object_id=partition, partition=NATIONAL).values_list("object_id", "id"))
    for p in heads:
        if p != NATIONAL and p not in opened and p not in verdict.breaks:
            verdict.breaks[p] = chain.Break(None, "its chain head was added without being recorded in the national partition (no audit.partition event)")
    missing = [p for p in opened if p not in heads and (partition is None or p == partition)]
    if missing:
        now = set(AuditHead.objects.filter(partition__in=missing).values_list("partition", flat=True))  # opened since the heads were read
        for p in missing:
            if p not in now:
                verdict.breaks[p] = chain.Break(opened[p], "this national event opened the partition, but its chain head is missing: the partition's events were removed")


def anchor() -> dict:
    """A summary of every partition's head to keep outside the database, sealed with the current
    key: the local date, and per partition the last event, the length and the head's hash."""
    heads = {head.partition: head for head in AuditHead.objects.filter(count__gt=0)}
    last = {}
    if heads:
        # One pass: the event whose hash is its partition's head (not indexed; once a day).
        wanted = Q()
        for p, head in heads.items():
            wanted |= Q(partition=p, hash=head.last_hash)
        last = dict(AuditEvent.objects.filter(wanted).values_list("partition", "id"))
    now = timezone.localtime()
    kid, key = keys.current()
    parts = {name_of(p): {"last_event_id": last.get(p), "count": head.count, "head": head.last_hash} for p, head in sorted(heads.items())}
    summary = {"date": now.date().isoformat(), "made_at": now.isoformat(timespec="seconds"), "key_id": kid, "partitions": parts}
    return summary | {"hmac": chain.anchor_mac(key, summary)}


def _anchored(summary: dict, verdict: Verdict) -> dict[str, _Anchored]:
    """The anchored heads by partition, once the anchor's own seal checks out; an anchor made before
    partitions (one head: count, head, last_event_id) anchors the national partition."""
    fields = ("date", "key_id", "hmac")
    if not isinstance(summary, dict) or any(name not in summary for name in fields) or not ("partitions" in summary or "count" in summary):
        verdict.anchor["*"] = f"the anchor lacks one of {', '.join(fields)}, and partitions (or count, head, last_event_id)"
        return {}
    key = keys.known().get(summary["key_id"])
    if key is None:
        verdict.anchor["*"] = f"the anchor was sealed with key id {summary['key_id']!r}, which is not configured"
        return {}
    if not chain.same(chain.anchor_mac(key, summary), str(summary["hmac"])):
        verdict.anchor["*"] = "the anchor's HMAC does not check out: the file was altered or made with another key"
        return {}
    try:
        if "partitions" in summary:
            points = {parse(name): _Anchored(int(p["count"]), p["last_event_id"], str(p["head"])) for name, p in summary["partitions"].items()}
        else:
            points = {NATIONAL: _Anchored(int(summary["count"]), summary["last_event_id"], str(summary["head"]))}
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        verdict.anchor["*"] = f"the anchor's partitions cannot be read: {error}"
        return {}
    return {p: point for p, point in points.items() if point.count > 0}

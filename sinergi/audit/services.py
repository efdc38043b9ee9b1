"""Appending to the audit trail. Called by every service that writes, inside its transaction."""

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max

from sinergi.audit import chain, keys
from sinergi.audit import partitions as partitions_
from sinergi.audit.models import AuditEvent, AuditHead

log = logging.getLogger(__name__)


@dataclass
class Change:
    """What one write did, before it is chained: `changes` maps field -> [old, new].

    `region` is the code of the area the object belongs to (a TPS's village, a user's agency
    region); it decides which administrators see the event. Empty: a national object, such as
    an election preset.
    """

    action: str
    object_type: str
    object_id: str = ""
    object_repr: str = ""
    election: str = ""
    changes: dict = field(default_factory=dict)
    region: str = ""
    # Set only when the event is chained after the change was committed (supervisors.sealing):
    # who made it, as (user id, username, agency name), and when — instead of the actor given to
    # record() and the present moment. A failed sign-in sets `by` too: its actor is nobody's account
    # ("anonim"), not the system.
    by: tuple[int | None, str, str] | None = None
    at: datetime | None = None


# Writers that chain their changes after committing them (supervisors.sealing, for voting-day
# intake) register here; whoever reads the whole trail calls `seal_pending` first.
SEALERS: list = []


def seal_pending(*, wait: bool = True) -> int:
    """Chain every change still waiting to be chained; how many were. `wait=False`: skip what
    another transaction is chaining now."""
    return sum(sealer(wait=wait) for sealer in SEALERS)


def diff(before: dict, after: dict) -> dict:
    """Fields whose value differs, as {field: [old, new]}; a field missing on one side is None."""
    return {key: [before.get(key), after.get(key)] for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)}


def _json_safe(value: dict) -> dict:
    # Dates, decimals and UUIDs become strings exactly as they will be read back from the
    # JSON column, so the hash computed now matches the one recomputed later.
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


_COPIED = (
    "at", "actor_id", "actor_username", "agency", "action", "object_type", "object_id", "object_repr", "election", "region", "changes", "prev_hash", "hash", "key_id",
    "partition",
)  # fmt: skip


def _store(connection, events: list[AuditEvent]) -> None:
    """Insert the events. Many at once on PostgreSQL (voting-day reports chained by the thousand)
    go by COPY, which costs a fraction of an INSERT per row; the rows are the same."""
    if connection.vendor != "postgresql" or len(events) < 100:
        AuditEvent.objects.bulk_create(events, batch_size=500)
        return
    columns = ", ".join(connection.ops.quote_name(AuditEvent._meta.get_field(name).column) for name in _COPIED)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {AuditEvent._meta.db_table} ({columns}) FROM STDIN") as copy:
        for event in events:
            copy.write_row([json.dumps(event.changes) if name == "changes" else getattr(event, name) for name in _COPIED])


def _in_own_transaction(connection) -> bool:
    """Whether an atomic block opened by Sinergi's code (not only a test's wrapping one) is open.
    Django marks the test case's blocks `_from_testcase`, as its own check of durable blocks does."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def lock_heads(partitions, *, skip_locked: bool = False) -> dict[str, AuditHead] | None:
    """Lock the chain heads of `partitions` until the transaction ends, one after another in sorted
    order — a fixed order, so that two writers spanning the same partitions never wait on each
    other in a cycle — opening (creating) a district's head the first time. With `skip_locked`
    (PostgreSQL's SKIP LOCKED), None as soon as one of them is held by another transaction.

    A partition is opened under the national head's lock ("" sorts first): its head gets the next
    id and an `audit.partition` event in the national chain records it, so that verify-audit can
    tell a district whose events and head were deleted from one that never had any.
    """
    wanted = set(partitions)
    existing = set(AuditHead.objects.filter(partition__in=wanted).values_list("partition", flat=True))
    if wanted - existing - {partitions_.NATIONAL}:
        wanted.add(partitions_.NATIONAL)
    heads = {}
    for partition in sorted(wanted):
        head = AuditHead.objects.select_for_update(skip_locked=skip_locked).filter(partition=partition).first()
        if head is None and skip_locked and AuditHead.objects.filter(partition=partition).exists():
            return None  # held by another transaction (SKIP LOCKED hid it)
        # Missing: opened now. Openers hold the national head's lock, locked above, so none opened it meanwhile.
        heads[partition] = head or _open(partition, heads)
    return heads


def _open(partition: str, heads: dict[str, AuditHead]) -> AuditHead:
    """A new, sealed, empty head for `partition`; the national head is locked (in `heads`) unless
    this is the national head itself, which exists from migration audit.0002 and is missing only
    after a database was flushed."""
    if partition == partitions_.NATIONAL:
        head = AuditHead(pk=1, partition=partition, last_hash=chain.GENESIS, count=0)
    else:
        head = AuditHead(pk=(AuditHead.objects.aggregate(last=Max("id"))["last"] or 1) + 1, partition=partition, last_hash=chain.GENESIS, count=0)
    keys.seal_head(head, keyed_from=0)
    if partition != partitions_.NATIONAL:
        opening = Change("audit.partition", "audit.partition", partition, f"Partisi {partition}", changes={"partisi": [None, partition]}, by=(None, "sistem", ""))
        _append(heads[partitions_.NATIONAL], [opening], by_actor=(None, "sistem", ""))
    return head


def _append(head: AuditHead, changes: list[Change], *, by_actor, store: bool = True) -> list[AuditEvent]:
    """Chain `changes` onto `head` (locked by the caller) and advance it; stores the events unless
    `store` is False (the caller stores several partitions' events at once)."""
    # A head whose seal does not check out was changed without the key (or the key that sealed it
    # is no longer configured): writes go on, but the head stays unsealed, so that verify-audit
    # keeps reporting it instead of this write blessing the change.
    sealed = keys.head_is_sealed(head)
    if not sealed:
        log.error("the audit chain head of partition %s: its seal does not check out; run sinergi verify-audit", partitions_.name_of(head.partition))
    key_id, key = keys.current()
    keyed_from = head.keyed_from if head.keyed_from is not None else head.count
    now = datetime.now(UTC)
    events = []
    prev = head.last_hash
    for change in changes:
        actor_id, username, agency = change.by or by_actor
        event = AuditEvent(
            at=change.at or now,
            actor_id=actor_id,
            actor_username=username,
            agency=agency,
            action=change.action,
            object_type=change.object_type,
            object_id=str(change.object_id),
            object_repr=change.object_repr[:200],
            election=change.election,
            region=change.region or "",  # None: a national body's (no region)
            changes=_json_safe(change.changes),
            prev_hash=prev,
            key_id=key_id,
            partition=head.partition,
        )
        event.hash = chain.seal(key, prev, event.payload())
        prev = event.hash
        events.append(event)
    if store:
        _store(transaction.get_connection(), events)
    head.last_hash = prev
    head.count += len(events)
    if sealed:
        keys.seal_head(head, keyed_from=keyed_from)
    else:
        head.save(update_fields=["last_hash", "count"])
    return events


def record(*, actor, changes: list[Change]) -> list[AuditEvent]:
    """Chain and store audit events for `changes`, made by `actor` (a User, or None for the system).

    Must run inside the caller's transaction so that the events exist exactly when the change
    does. Each change goes to the partition of its region (audit/partitions.py); the heads of the
    partitions involved are locked in sorted order until that transaction ends. (A transaction
    that calls record() several times locks in the order of its calls: PostgreSQL breaks the rare
    cycle this may form with another writer by failing one of them.) Refused outside a
    transaction — also when the only one around the call is a test's, so that a service which
    forgot its own fails in the test suite as it would in production.
    """
    connection = transaction.get_connection()
    if not _in_own_transaction(connection):
        raise RuntimeError("audit.record() must be called inside the writing transaction")
    if not changes:
        return []
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(partitions_.partition_of(change.region), []).append(change)
    heads = lock_heads(groups)
    by_actor = (
        (actor.pk, actor.username, str(actor.agency) if getattr(actor, "agency_id", None) else "") if actor is not None else (None, "sistem", "")
    )
    chained = {partition: _append(heads[partition], groups[partition], by_actor=by_actor, store=False) for partition in sorted(groups)}
    _store(connection, [event for partition in sorted(chained) for event in chained[partition]])
    # In the order of `changes`, as before partitions.
    order = {id(change): n for n, change in enumerate(changes)}
    pairs = [(order[id(change)], event) for partition in chained for change, event in zip(groups[partition], chained[partition], strict=True)]
    return [event for _, event in sorted(pairs, key=lambda pair: pair[0])]

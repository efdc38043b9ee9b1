"""Appending to the audit trail. Called by every service that writes, inside its transaction."""

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from sinergi.audit import chain, keys
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


_COPIED = ("at", "actor_id", "actor_username", "agency", "action", "object_type", "object_id", "object_repr", "election", "region", "changes", "prev_hash", "hash", "key_id")


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


def record(*, actor, changes: list[Change]) -> list[AuditEvent]:
    """Chain and store audit events for `changes`, made by `actor` (a User, or None for the system).

    Must run inside the caller's transaction so that the events exist exactly when the change
    does. Locks the chain head until that transaction ends. Refused outside one — also when the
    only transaction around the call is a test's, so that a service which forgot its own fails
    in the test suite as it would in production.
    """
    connection = transaction.get_connection()
    if not _in_own_transaction(connection):
        raise RuntimeError("audit.record() must be called inside the writing transaction")
    if not changes:
        return []
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # Normally created by migration audit.0002; absent only after a database was flushed.
        head = AuditHead(pk=1, last_hash=chain.GENESIS, count=0)
        keys.seal_head(head, keyed_from=0)
    # A head whose seal does not check out was changed without the key (or the key that sealed it
    # is no longer configured): writes go on, but the head stays unsealed, so that verify-audit
    # keeps reporting it instead of this write blessing the change.
    sealed = keys.head_is_sealed(head)
    if not sealed:
        log.error("the audit chain head's seal does not check out; run sinergi verify-audit")
    key_id, key = keys.current()
    keyed_from = head.keyed_from if head.keyed_from is not None else head.count
    now = datetime.now(UTC)
    by_actor = (
        (actor.pk, actor.username, str(actor.agency) if getattr(actor, "agency_id", None) else "") if actor is not None else (None, "sistem", "")
    )
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
        )
        event.hash = chain.seal(key, prev, event.payload())
        prev = event.hash
        events.append(event)
    _store(connection, events)
    head.last_hash = prev
    head.count += len(events)
    if sealed:
        keys.seal_head(head, keyed_from=keyed_from)
    else:
        head.save(update_fields=["last_hash", "count"])
    return events

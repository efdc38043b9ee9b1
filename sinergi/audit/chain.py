"""The audit hash chain. No Django import.

Each event's hash is SHA-256 over the previous event's hash and the event's canonical JSON
payload. Editing any stored field of an event changes its hash; removing an event breaks the
`prev_hash` link of the one after it; removing the last events is caught by comparing with the
chain head, which is kept in its own row.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64


def canonical(payload: dict) -> str:
    """Key-sorted compact JSON; the exact text the hash covers."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(prev_hash: str, payload: dict) -> str:
    return hashlib.sha256((prev_hash + "\n" + canonical(payload)).encode()).hexdigest()


@dataclass(frozen=True)
class StoredEvent:
    id: int
    prev_hash: str
    hash: str
    payload: dict


@dataclass(frozen=True)
class Break:
    event_id: int | None
    reason: str


def first_break(events: Iterable[StoredEvent], *, head_hash: str, head_count: int) -> Break | None:
    """The first place where the stored chain is not intact, or None.

    `events` must come in chain order (ascending id). `head_hash` and `head_count` are what
    the chain head row says the last hash and the number of events are.
    """
    expected_prev = GENESIS
    count = 0
    for event in events:
        count += 1
        if event.prev_hash != expected_prev:
            return Break(event.id, "the event before it was removed or altered (prev_hash does not match)")
        if digest(event.prev_hash, event.payload) != event.hash:
            return Break(event.id, "its content was altered (hash does not match)")
        expected_prev = event.hash
    if count != head_count or expected_prev != head_hash:
        return Break(None, f"the chain ends at event {count} but the head records {head_count}: events at the end were removed")
    return None

"""The audit hash chain. No Django import.

Each event's hash is an HMAC-SHA-256, under a key kept outside the database (AUDIT_KEY), over the
previous event's hash and the event's canonical JSON payload. Editing any stored field of an event
changes its hash, and without the key nobody can compute the new one; removing an event breaks the
`prev_hash` link of the one after it; removing the last events is caught by the chain head, kept
in its own row and sealed with the same key.

Events stored before the chain was keyed carry no key id and a plain SHA-256 hash (`digest`).
They can only form the chain's beginning — the head records, under its seal, where keying began —
and the first keyed event's HMAC covers their last hash.

The trail is made of independent chains, one per *partition* (a district, kabupaten/kota, or ""
for national events and everything chained before partitions existed): each has its own head and
is checked on its own (`Walk`); the partition is covered by every event's hash and head's seal.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

GENESIS = "0" * 64


def canonical(payload: dict) -> str:
    """Key-sorted compact JSON; the exact text the hash covers."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(prev_hash: str, payload: dict) -> str:
    """The unkeyed rule of events stored before keying: SHA-256, which anyone can recompute."""
    return hashlib.sha256((prev_hash + "\n" + canonical(payload)).encode()).hexdigest()


def seal(key: bytes, prev_hash: str, payload: dict) -> str:
    """An event's hash under `key`: HMAC-SHA-256 over the same text as `digest`."""
    return hmac.digest(key, (prev_hash + "\n" + canonical(payload)).encode(), "sha256").hex()


def head_mac(key: bytes, *, count: int, last_hash: str, keyed_from: int | None, partition: str = "") -> str:
    """The chain head's seal: its length, its last hash, the position where keying began, and its
    partition (not written for "", so that the head sealed before partitions keeps its seal)."""
    text = f"head\n{count}\n{last_hash}\n{'' if keyed_from is None else keyed_from}" + (f"\n{partition}" if partition else "")
    return hmac.digest(key, text.encode(), "sha256").hex()


def anchor_mac(key: bytes, summary: dict) -> str:
    """The seal of an anchor (a summary of the head kept outside the database), over its fields."""
    fields = {name: value for name, value in summary.items() if name != "hmac"}
    return hmac.digest(key, ("anchor\n" + canonical(fields)).encode(), "sha256").hex()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


@dataclass(frozen=True)
class StoredEvent:
    id: int
    prev_hash: str
    hash: str
    payload: dict
    key_id: str = ""


@dataclass(frozen=True)
class Break:
    event_id: int | None
    reason: str


class Walk:
    """Checks one partition's chain event by event (in chain order, ascending id), so that one pass
    over the table in id order checks every partition at once. `keyed_from` is the position
    (0-based) of the partition's first keyed event — the events before it are unkeyed, those from
    it on keyed (None: none is keyed); `keys` maps key ids to keys, the current one and the old ones.
    """

    def __init__(self, *, keyed_from: int | None = None, keys: Mapping[str, bytes] | None = None):
        self.keyed_from, self.keys = keyed_from, keys or {}
        self.expected_prev, self.count, self.broken = GENESIS, 0, None

    def feed(self, event: StoredEvent) -> None:
        """Check the next event; after a break, the rest is ignored (the first break is reported)."""
        if self.broken is not None:
            return
        position, self.count = self.count, self.count + 1
        if event.prev_hash != self.expected_prev:
            self.broken = Break(event.id, "the event before it was removed or altered (prev_hash does not match)")
            return
        keyed = self.keyed_from is not None and position >= self.keyed_from
        if not event.key_id:
            if keyed:
                self.broken = Break(event.id, "sealed without a key where the chain is keyed (downgraded to the unkeyed rule)")
                return
            expected = digest(event.prev_hash, event.payload)
        else:
            if not keyed:
                self.broken = Break(event.id, "sealed with a key before the position where the head says keying began")
                return
            key = self.keys.get(event.key_id)
            if key is None:
                self.broken = Break(event.id, f"sealed with key id {event.key_id!r}, which is not configured (AUDIT_KEY_ID / AUDIT_OLD_KEYS)")
                return
            expected = seal(key, event.prev_hash, event.payload)
        if not same(expected, event.hash):
            self.broken = Break(event.id, "its content was altered (hash does not match)")
            return
        self.expected_prev = event.hash

    def end(self, *, head_hash: str, head_count: int) -> Break | None:
        """The first break, now that every event the head covers was fed, or None."""
        if self.broken is not None:
            return self.broken
        if self.count != head_count or self.expected_prev != head_hash:
            return Break(None, f"the chain ends at event {self.count} but the head records {head_count}: events at the end were removed")
        return None


def first_break(
    events: Iterable[StoredEvent], *, head_hash: str, head_count: int, keyed_from: int | None = None, keys: Mapping[str, bytes] | None = None
) -> Break | None:
    """The first place where one stored chain is not intact, or None (`Walk` over `events`, in
    chain order; `head_hash` and `head_count` are what its head says)."""
    walk = Walk(keyed_from=keyed_from, keys=keys)
    for event in events:
        walk.feed(event)
        if walk.broken is not None:
            break
    return walk.end(head_hash=head_hash, head_count=head_count)

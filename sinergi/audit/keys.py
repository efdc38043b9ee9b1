"""The keys of the audit chain, from the settings (never from the database): AUDIT_KEY under
AUDIT_KEY_ID seals new events; AUDIT_OLD_KEYS keeps earlier keys for verifying what they sealed.
docs/operations.md."""

from django.conf import settings

from sinergi.audit import chain


def current() -> tuple[str, bytes]:
    """(key id, key) that seals new events."""
    return settings.AUDIT_KEY_ID, settings.AUDIT_KEY.encode()


def known() -> dict[str, bytes]:
    """Every key id that may have sealed an event, with its key."""
    return {**{kid: key.encode() for kid, key in settings.AUDIT_OLD_KEYS.items()}, settings.AUDIT_KEY_ID: settings.AUDIT_KEY.encode()}


def seal_head(head, *, keyed_from: int | None) -> None:
    """Seal and save `head` (count, last hash, where keying began, partition) with the current key."""
    kid, key = current()
    head.keyed_from, head.key_id = keyed_from, kid
    head.mac = chain.head_mac(key, count=head.count, last_hash=head.last_hash, keyed_from=keyed_from, partition=head.partition)
    head.save()


def head_is_sealed(head) -> bool:
    """Whether `head` carries a valid seal under a known key."""
    key = known().get(head.key_id)
    return key is not None and chain.same(chain.head_mac(key, count=head.count, last_hash=head.last_hash, keyed_from=head.keyed_from, partition=head.partition), head.mac)

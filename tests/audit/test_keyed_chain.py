"""The audit chain is keyed (HMAC with AUDIT_KEY, kept outside the database): someone who can write
to the database but lacks the key cannot rewrite an event and recompute the chain, cannot
downgrade events to the unkeyed rule, cannot truncate the chain and fix up the head; events sealed
before keying are verified with the old rule and flagged; keys rotate; an anchor kept outside the
database pins the chain's head."""

import hashlib
import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from sinergi.audit import chain
from sinergi.audit.models import AuditEvent, AuditHead
from sinergi.audit.services import Change, record


def verify(*args) -> str:
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def plain_sha256(prev: str, payload: dict) -> str:
    """What an attacker without the key can compute: the unkeyed rule, written out independently."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev + "\n" + text).encode()).hexdigest()


def rechain_from(victim_id: int, *, drop_key: bool) -> None:
    """Recompute every hash of the victim's partition from `victim_id` on with the plain SHA-256
    rule, and that partition's head."""
    partition = AuditEvent.objects.get(pk=victim_id).partition
    mine = AuditEvent.objects.filter(partition=partition)
    events = list(mine.filter(id__gte=victim_id).order_by("id"))
    prev = mine.filter(id__lt=victim_id).order_by("-id").values_list("hash", flat=True).first() or chain.GENESIS
    for event in events:
        event.prev_hash = prev
        event.hash = prev = plain_sha256(prev, event.payload())
        if drop_key:
            event.key_id = ""
    AuditEvent.objects.bulk_update(events, ["prev_hash", "hash", *(["key_id"] if drop_key else [])])
    AuditHead.objects.filter(partition=partition).update(last_hash=prev)


@pytest.mark.django_db
def test_a_rewritten_event_with_the_plain_chain_recomputed_is_detected():
    victim = AuditEvent.objects.filter(action="station.create").order_by("id")[10]
    AuditEvent.objects.filter(pk=victim.pk).update(object_repr="TPS 999 Palsu")
    rechain_from(victim.id, drop_key=False)
    with pytest.raises(CommandError, match=rf"event {victim.id}"):
        verify()


@pytest.mark.django_db
def test_downgrading_the_rewritten_events_to_the_unkeyed_rule_is_detected():
    victim = AuditEvent.objects.filter(action="station.create").order_by("id")[10]
    AuditEvent.objects.filter(pk=victim.pk).update(object_repr="TPS 999 Palsu")
    rechain_from(victim.id, drop_key=True)
    with pytest.raises(CommandError, match=rf"event {victim.id}: sealed without a key"):
        verify()


@pytest.mark.django_db
def test_removing_the_last_events_and_fixing_up_the_head_is_detected():
    district = AuditHead.objects.filter(partition="51.05")
    last_two = list(AuditEvent.objects.filter(partition="51.05").order_by("-id")[:2])
    last_two[0].delete()
    district.update(last_hash=last_two[1].hash, count=district.get().count - 1)
    with pytest.raises(CommandError, match=r"the chain head was altered .*\(partition 51.05\)"):
        verify()


@pytest.mark.django_db
def test_events_sealed_before_keying_are_checked_with_the_old_rule_and_flagged():
    # A deployment upgraded with existing events: they carry no key id and the plain SHA-256 chain;
    # the head records that keying began after them.
    AuditEvent.objects.all().delete()
    AuditHead.objects.exclude(pk=1).delete()
    prev = chain.GENESIS
    for n in range(3):
        event = AuditEvent(at=datetime(2024, 1, n + 1, tzinfo=UTC), actor_username="lama", action="legacy", object_type="x", object_id=str(n), prev_hash=prev)
        event.hash = prev = plain_sha256(prev, event.payload())
        event.save()
    from sinergi.audit import keys

    AuditHead.objects.filter(pk=1).update(last_hash=prev, count=3, keyed_from=None, key_id="", mac="")
    keys.seal_head(AuditHead.objects.get(), keyed_from=3)
    with transaction.atomic():
        record(actor=None, changes=[Change("new", "x", "1")])
    output = verify()
    assert output.startswith("Audit chain intact: 4 events")
    assert "3 events sealed before the chain was keyed" in output
    # Rewriting a legacy event breaks the first keyed event, whose HMAC covers the legacy head.
    first = AuditEvent.objects.order_by("id").first()
    AuditEvent.objects.filter(pk=first.pk).update(object_id="99")
    rechain_from(first.id, drop_key=True)
    with pytest.raises(CommandError, match="Audit chain broken"):
        verify()


@pytest.mark.django_db
def test_a_rotated_key_still_verifies_events_sealed_with_the_old_one(settings):
    settings.AUDIT_KEY, settings.AUDIT_KEY_ID, settings.AUDIT_OLD_KEYS = "kunci-baru-" + "b" * 40, "2025", {"1": settings.AUDIT_KEY}
    with transaction.atomic():
        record(actor=None, changes=[Change("after.rotation", "x", "1")])
    assert AuditEvent.objects.order_by("-id").first().key_id == "2025"
    assert verify().startswith("Audit chain intact")
    settings.AUDIT_OLD_KEYS = {}
    with pytest.raises(CommandError, match="key id '1', which is not configured"):
        verify()


@pytest.mark.django_db
def test_an_anchor_outside_the_database_pins_the_head(tmp_path):
    anchor = tmp_path / "anchor.json"
    call_command("audit_anchor", "--output", str(anchor), stdout=io.StringIO())
    summary = json.loads(anchor.read_text())
    assert set(summary["partitions"]) == {"nasional", "51.05"} and summary["key_id"] == "1"
    for name, partition in (("nasional", ""), ("51.05", "51.05")):
        head = AuditHead.objects.get(partition=partition)
        last = AuditEvent.objects.filter(partition=partition).order_by("-id").first()
        assert summary["partitions"][name] == {"count": head.count, "head": head.last_hash, "last_event_id": last.id}
    with transaction.atomic():
        record(actor=None, changes=[Change("later", "x", "1")])
    assert "reaches the anchor" in verify("--anchor", str(anchor))
    # An edited anchor is refused for its HMAC.
    anchor.write_text(json.dumps({**summary, "partitions": {**summary["partitions"], "51.05": {**summary["partitions"]["51.05"], "count": 3}}}))
    with pytest.raises(CommandError, match="anchor's HMAC"):
        verify("--anchor", str(anchor))


@pytest.mark.django_db
def test_an_anchor_detects_a_chain_rebuilt_with_the_key(tmp_path, settings):
    # Someone holding the key rewrites history and reseals everything: the chain checks out, the
    # anchor taken before does not.
    anchor = tmp_path / "anchor.json"
    call_command("audit_anchor", "--output", str(anchor), stdout=io.StringIO())
    from sinergi.audit import keys

    events = list(AuditEvent.objects.filter(partition="51.05").order_by("id"))
    events[5].object_repr = "ditulis ulang"
    kid, key = keys.current()
    prev = chain.GENESIS
    for event in events:
        event.prev_hash, event.key_id = prev, kid
        event.hash = prev = chain.seal(key, prev, event.payload())
    AuditEvent.objects.bulk_update(events, ["object_repr", "prev_hash", "hash", "key_id"], batch_size=500)
    head = AuditHead.objects.get(partition="51.05")
    head.last_hash = prev
    keys.seal_head(head, keyed_from=0)
    assert verify().startswith("Audit chain intact")
    with pytest.raises(CommandError, match=r"does not reach the anchor.*\(partition 51.05\)$"):
        verify("--anchor", str(anchor))


@pytest.mark.django_db
def test_a_write_after_the_head_was_tampered_with_does_not_reseal_it(caplog):
    national = AuditHead.objects.filter(pk=1)  # where a change without a region is chained
    last_two = list(AuditEvent.objects.filter(partition="").order_by("-id")[:2])
    last_two[0].delete()
    national.update(last_hash=last_two[1].hash, count=national.get().count - 1)
    stale_mac = national.get().mac
    with transaction.atomic():
        record(actor=None, changes=[Change("after.tampering", "x", "1")])
    assert "seal does not check out" in caplog.text
    assert national.get().mac == stale_mac  # not resealed over the truncation
    with pytest.raises(CommandError, match="the chain head was altered"):
        verify()

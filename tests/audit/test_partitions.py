"""The audit trail is one chain per district (audit/partitions.py): each partition is verified on
its own, a tampered partition is named (and the others are not), a partition removed whole is
noticed through the national event that opened it, and anchors cover every partition's head."""

import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from sinergi.audit import chain, keys
from sinergi.audit.models import AuditEvent, AuditHead
from sinergi.audit.partitions import parse, partition_of
from sinergi.audit.services import Change, record
from tests.audit.districts import DENPASAR, denpasar_station


def verify(*args) -> str:
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_an_event_goes_to_the_district_of_what_it_is_about():
    assert partition_of("51.05.01.2010") == partition_of("51.05.01") == partition_of("51.05") == "51.05"
    assert partition_of("51") == partition_of("") == partition_of("bukan-kode") == ""
    assert parse("nasional") == parse("") == "" and parse("51.71") == "51.71"
    with pytest.raises(ValueError):
        parse("51.71.01")


def test_the_national_partition_keeps_the_hashes_and_seal_of_the_chain_before_partitions():
    # Events and the head of "" are hashed and sealed exactly as before partitions existed (the
    # formulas of audit.0005), so the existing chain and its head verify unchanged after audit.0007.
    event = AuditEvent(at=datetime(2024, 1, 1, tzinfo=UTC), actor_username="a", action="x", object_type="y")
    assert "partition" not in event.payload()
    import hashlib
    import hmac

    old = hmac.new(b"k", b"head\n3\n" + b"f" * 64 + b"\n0", hashlib.sha256).hexdigest()
    assert chain.head_mac(b"k", count=3, last_hash="f" * 64, keyed_from=0, partition="") == old
    assert chain.head_mac(b"k", count=3, last_hash="f" * 64, keyed_from=0, partition="51.05") != old


@pytest.mark.django_db
def test_each_district_is_chained_in_its_own_partition_opened_in_the_national_chain(pemilu):
    denpasar_station(pemilu)
    with transaction.atomic():
        events = record(actor=None, changes=[Change("x.a", "t", "1", region="51.71.01"), Change("x.b", "t", "2", region=""), Change("x.c", "t", "3", region="51.05.01")])
    assert [e.partition for e in events] == ["51.71", "", "51.05"]  # in the order of the changes
    heads = dict(AuditHead.objects.values_list("partition", "count"))
    assert set(heads) == {"", "51.05", DENPASAR}
    opening = AuditEvent.objects.get(action="audit.partition", object_id=DENPASAR)
    assert opening.partition == "" and opening.id < AuditEvent.objects.filter(partition=DENPASAR).order_by("id").first().id
    out = verify()
    assert out.startswith(f"Audit chain intact: {AuditEvent.objects.count()} events in 3 partition(s)")
    assert verify("--partition", DENPASAR).startswith(f"Audit chain intact: {heads[DENPASAR]} events in partition 51.71")
    assert verify("--partition", "nasional").startswith(f"Audit chain intact: {heads['']} events in partition nasional")
    assert verify("--partition", "51.99").startswith("Partition 51.99 holds no events")
    with pytest.raises(CommandError, match="not a partition"):
        verify("--partition", "51.71.01")


@pytest.mark.django_db
def test_tampering_in_one_district_names_that_partition_and_no_other(pemilu):
    denpasar_station(pemilu)
    victim = AuditEvent.objects.filter(partition=DENPASAR, object_repr="Sesetan").get()
    AuditEvent.objects.filter(pk=victim.pk).update(object_repr="TPS 99 Palsu")
    with pytest.raises(CommandError) as broken:
        verify()
    message = str(broken.value)
    assert message == f"Audit chain broken at event {victim.id}: its content was altered (hash does not match) (partition 51.71)"
    assert "51.05" not in message and "nasional" not in message
    assert verify("--partition", "51.05").startswith("Audit chain intact")
    with pytest.raises(CommandError, match=r"\(partition 51.71\)"):
        verify("--partition", "51.71")
    # A second tampered partition is named too, each with its first broken event.
    klungkung = AuditEvent.objects.filter(partition="51.05").order_by("id")[7]
    AuditEvent.objects.filter(pk=klungkung.pk).update(actor_username="orang-lain")
    with pytest.raises(CommandError) as both:
        verify()
    assert str(both.value).splitlines() == [
        f"Audit chain broken at event {klungkung.id}: its content was altered (hash does not match) (partition 51.05)",
        message,
    ]


@pytest.mark.django_db
def test_a_district_removed_whole_with_its_head_is_noticed_through_its_opening(pemilu):
    denpasar_station(pemilu)
    opening = AuditEvent.objects.get(action="audit.partition", object_id=DENPASAR)
    AuditEvent.objects.filter(partition=DENPASAR).delete()
    AuditHead.objects.filter(partition=DENPASAR).delete()
    with pytest.raises(CommandError, match=rf"event {opening.id}: this national event opened the partition, but its chain head is missing.*\(partition 51.71\)"):
        verify()
    with pytest.raises(CommandError, match=r"chain head is missing"):
        verify("--partition", DENPASAR)


@pytest.mark.django_db
def test_a_head_added_around_the_national_chain_is_noticed():
    # A forged, correctly sealed head (someone with the key) without its opening event.
    head = AuditHead(pk=99, partition="51.71", last_hash=chain.GENESIS, count=0)
    keys.seal_head(head, keyed_from=0)
    with pytest.raises(CommandError, match=r"added without being recorded in the national partition.*\(partition 51.71\)"):
        verify()


@pytest.mark.django_db
def test_anchors_cover_every_partition_and_an_anchor_made_before_partitions_still_checks(tmp_path, pemilu):
    denpasar_station(pemilu)
    anchor = tmp_path / "anchor.json"
    call_command("audit_anchor", "--output", str(anchor), stdout=io.StringIO())
    assert set(json.loads(anchor.read_text())["partitions"]) == {"nasional", "51.05", "51.71"}
    assert "reaches the anchor" in verify("--anchor", str(anchor))
    # An anchor in the format before partitions (one head) anchors the national partition.
    national = AuditHead.objects.get(partition="")
    last = AuditEvent.objects.filter(partition="").order_by("-id").first()
    kid, key = keys.current()
    old = {"date": "2024-01-01", "made_at": "2024-01-01T00:00:00+08:00", "last_event_id": last.id, "count": national.count, "head": national.last_hash, "key_id": kid}
    old_file = tmp_path / "old.json"
    old_file.write_text(json.dumps(old | {"hmac": chain.anchor_mac(key, old)}))
    assert "reaches the anchor" in verify("--anchor", str(old_file))
    # Denpasar rebuilt with the key: its chain checks out, the anchor names it, and only it.
    events = list(AuditEvent.objects.filter(partition=DENPASAR).order_by("id"))
    events[0].object_repr = "ditulis ulang"
    prev = chain.GENESIS
    for event in events:
        event.prev_hash = prev
        event.hash = prev = chain.seal(key, prev, event.payload())
    AuditEvent.objects.bulk_update(events, ["object_repr", "prev_hash", "hash"])
    head = AuditHead.objects.get(partition=DENPASAR)
    head.last_hash = prev
    keys.seal_head(head, keyed_from=0)
    assert verify().startswith("Audit chain intact")
    with pytest.raises(CommandError) as missed:
        verify("--anchor", str(anchor))
    assert "does not reach the anchor" in str(missed.value) and str(missed.value).endswith("(partition 51.71)")
    assert "reaches the anchor" in verify("--anchor", str(old_file))

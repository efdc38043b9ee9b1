"""The audit trail: every write appends a hash-chained event; tampering is detected."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sinergi.audit import chain
from sinergi.audit.models import AuditEvent, AuditHead
from tests import personas


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_chain_of_the_loaded_demo_is_intact():
    # Partitioned: the national events ("") and Klungkung's (51.05), each chain with its own head.
    heads = dict(AuditHead.objects.values_list("partition", "count"))
    assert set(heads) == {"", "51.05"} and heads["51.05"] > 1000 and heads[""] > 0
    assert AuditEvent.objects.count() == sum(heads.values())
    assert verify().startswith(f"Audit chain intact: {sum(heads.values())} events in 2 partition(s)")


@pytest.mark.django_db
def test_editing_one_stored_event_directly_in_the_database_is_detected():
    victim = AuditEvent.objects.filter(action="station.create").order_by("id")[10]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["TPS 999 Palsu", victim.id])
    with pytest.raises(CommandError, match=rf"Audit chain broken at event {victim.id}: its content was altered"):
        verify()


@pytest.mark.django_db
def test_editing_the_changes_of_an_event_is_detected():
    victim = AuditEvent.objects.filter(action="station.create").order_by("id")[3]
    AuditEvent.objects.filter(pk=victim.pk).update(changes={"voters": [None, 1]})
    with pytest.raises(CommandError, match=rf"event {victim.id}"):
        verify()


@pytest.mark.django_db
def test_removing_an_event_in_the_middle_is_detected():
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True)[:20])
    AuditEvent.objects.filter(pk=ids[5]).delete()
    with pytest.raises(CommandError, match=rf"event {ids[6]}: the event before it was removed"):
        verify()


@pytest.mark.django_db
def test_removing_the_last_events_is_detected():
    last = AuditEvent.objects.order_by("-id").first()
    last.delete()
    with pytest.raises(CommandError, match="the end of the chain"):
        verify()


@pytest.mark.django_db
def test_the_console_command_exits_non_zero_on_a_broken_chain(tmp_path):
    # The same check through the real entry point, on a database of its own.
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'audit.sqlite3'}", "DJANGO_SETTINGS_MODULE": "tests.settings"}
    run = lambda *args: subprocess.run([sys.executable, "-m", "sinergi", *args], env=env, capture_output=True, text=True)  # noqa: E731
    assert run("migrate", "-v0").returncode == 0
    assert run("load-regions", *[str(p) for p in _klungkung_files()]).returncode == 0
    ok = run("verify-audit")
    assert ok.returncode == 0, ok.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "audit.sqlite3") as db:
        db.execute("UPDATE audit_auditevent SET actor_username = 'orang-lain' WHERE id = 2")
    broken = run("verify-audit")
    assert broken.returncode != 0
    assert "Audit chain broken at event 2" in broken.stderr


def _klungkung_files():
    from sinergi.regions.demo import KLUNGKUNG_DIR, KLUNGKUNG_FILES

    return [KLUNGKUNG_DIR / name for name in KLUNGKUNG_FILES]


def test_first_break_on_plain_events():
    a = {"action": "x"}
    b = {"action": "y"}
    h1 = chain.digest(chain.GENESIS, a)
    h2 = chain.digest(h1, b)
    events = [chain.StoredEvent(1, chain.GENESIS, h1, a), chain.StoredEvent(2, h1, h2, b)]
    assert chain.first_break(events, head_hash=h2, head_count=2) is None
    assert chain.first_break(events[:1], head_hash=h2, head_count=2).event_id is None
    swapped = [chain.StoredEvent(1, chain.GENESIS, h1, b), events[1]]
    assert chain.first_break(swapped, head_hash=h2, head_count=2).event_id == 1


@pytest.mark.django_db
def test_bawaslu_administrators_browse_the_log_and_other_agencies_are_refused(client_of):
    response = client_of(personas.BAWASLU).get("/audit/?action=station.create")
    assert response.status_code == 200
    assert "station.create" in response.text
    assert response.context["page"].paginator.count == AuditEvent.objects.filter(action="station.create").count()
    for username in (personas.KPU, personas.POLRES, personas.POLSEK_NUSA_PENIDA, personas.BAWASLU_STAFF, personas.JAKSA):
        assert client_of(username).get("/audit/").status_code == 403, username


@pytest.mark.django_db(transaction=True)
def test_writing_outside_a_transaction_is_refused():
    from sinergi.audit.services import Change, record

    with pytest.raises(RuntimeError, match="inside the writing transaction"):
        record(actor=None, changes=[Change("x", "y")])


@pytest.mark.django_db
def test_an_administrator_sees_only_events_of_their_own_district(client_of):
    from sinergi.regions.services import load_regions

    places = b"code,name,kind,lat,lon,source\n51.71,Denpasar,kota,,,t\n51.71.01,Denpasar Selatan,kecamatan,,,t\n"
    load_regions(actor=None, files=[("denpasar.csv", places)])
    assert AuditEvent.objects.filter(object_repr="Denpasar Selatan", region="51.71.01").exists()
    response = client_of(personas.BAWASLU).get("/audit/", {"action": "region.save"})
    shown = {event.object_repr for event in response.context["page"].object_list}
    assert "Denpasar Selatan" not in shown and "Denpasar" not in shown
    assert response.context["page"].paginator.count == AuditEvent.objects.filter(action="region.save", region__startswith="51.05").count()
    # National objects (the election presets) are shown to every district's administrators.
    presets = client_of(personas.BAWASLU).get("/audit/", {"action": "election.create"})
    assert presets.context["page"].paginator.count == 2


@pytest.mark.django_db
def test_an_event_appended_around_the_chain_head_is_detected():
    forged = AuditEvent.objects.order_by("-id").first()
    forged.pk = None
    forged.hash = "f" * 64
    forged.save()
    with pytest.raises(CommandError, match=rf"event {forged.pk}: it was appended without advancing the chain head"):
        verify()


@pytest.mark.django_db
def test_events_recorded_through_the_service_keep_the_chain_intact():
    from django.db import transaction

    from sinergi.audit.services import Change, record

    with transaction.atomic():
        record(actor=None, changes=[Change("x.test", "tests.thing", "1"), Change("x.test", "tests.thing", "2")])
    assert verify().startswith("Audit chain intact")


@pytest.mark.django_db
def test_a_thousand_events_at_once_are_stored_exactly_and_keep_the_chain_intact(user_of):
    """Many events in one call go by COPY on PostgreSQL (by INSERT on SQLite): same rows either way."""
    from datetime import UTC, datetime

    from django.db import transaction

    from sinergi.audit.services import Change, record

    bawaslu = user_of(personas.BAWASLU)
    changes = [
        Change("x.bulk", "tests.thing", str(n), f"benda {n} — «ü»", "pemilu-2024", {"n": [None, n], "teks": [None, "a\tb\nc\\d"]}, "51.05.01",
               by=(bawaslu.pk, bawaslu.username, "Bawaslu Kabupaten Klungkung") if n % 2 else None, at=datetime(2024, 2, 14, n % 24, 0, tzinfo=UTC))
        for n in range(1000)
    ]  # fmt: skip
    with transaction.atomic():
        record(actor=None, changes=changes)
    stored = list(AuditEvent.objects.filter(action="x.bulk").order_by("id"))
    assert [e.object_id for e in stored] == [str(n) for n in range(1000)]
    assert stored[7].changes == {"n": [None, 7], "teks": [None, "a\tb\nc\\d"]} and stored[7].object_repr == "benda 7 — «ü»"
    assert (stored[7].actor_id, stored[7].agency, stored[8].actor_username) == (bawaslu.pk, "Bawaslu Kabupaten Klungkung", "sistem")
    assert stored[7].at == datetime(2024, 2, 14, 7, 0, tzinfo=UTC)
    assert verify().startswith("Audit chain intact")

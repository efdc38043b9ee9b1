"""The `notify` contract: one notification per recipient, deduplicated on the source key, one
delivery per channel that reaches the recipient, sent after the caller's commit."""

import pytest
from django.db import connection, transaction

from sinergi.accounts.models import Agency, User
from sinergi.notifications.models import Delivery, Notification, PushSubscription
from sinergi.notifications.services import notify, recipients_of
from tests import personas
from tests.notifications.helpers import field_account

PED = "51.05.01.2010"


def test_one_notification_per_recipient_and_a_retried_event_notifies_once(user_of, pemilu):
    bawaslu, polres = user_of(personas.BAWASLU), user_of(personas.POLRES)
    with transaction.atomic():
        first = notify(
            recipients=[bawaslu, polres], kind="incident.referred", title="Kejadian dirujuk", url="/x/", election=pemilu, source_key="incident:1:referred"
        )
        again = notify(recipients=[bawaslu, polres], kind="incident.referred", title="Kejadian dirujuk", election=pemilu, source_key="incident:1:referred")
        other = notify(recipients=[bawaslu], kind="incident.escalated", title="Eskalasi", election=pemilu, source_key="incident:1:escalated")
        plain = notify(recipients=[bawaslu], kind="info", title="Tanpa kunci") + notify(recipients=[bawaslu], kind="info", title="Tanpa kunci")
    assert (first, again, other, plain) == (2, 0, 1, 2)
    assert Notification.objects.filter(source_key="incident:1:referred").count() == 2
    assert Notification.objects.filter(recipient=bawaslu).count() == 4


def test_inactive_recipients_are_skipped(user_of):
    staff = user_of(personas.BAWASLU_STAFF)
    staff.is_active = False
    with transaction.atomic():
        assert notify(recipients=[staff], kind="info", title="x") == 0


def test_recipients_of_picks_the_active_users_of_agencies_by_role(user_of, pemilu):
    ptps = field_account(pemilu, PED, 17, "ptps-ped-17")
    pkd = Agency.objects.get(kind=Agency.Kind.PKD, region_id=PED)
    assert ptps in recipients_of(Agency.objects.filter(pk=pkd.pk))
    assert recipients_of([pkd], roles=[User.Role.FIELD]).filter(pk=ptps.pk).exists()
    assert not recipients_of([pkd], roles=[User.Role.ADMIN]).filter(pk=ptps.pk).exists()
    User.objects.filter(pk=ptps.pk).update(is_active=False)
    assert not recipients_of([pkd]).filter(pk=ptps.pk).exists()


def test_each_channel_that_reaches_a_recipient_gets_a_delivery(user_of, pemilu, django_capture_on_commit_callbacks, settings):
    settings.WEBPUSH_VAPID_PRIVATE_KEY = "set"
    bawaslu = user_of(personas.BAWASLU)
    User.objects.filter(pk=bawaslu.pk).update(email="ketua@bawaslu.example")
    bawaslu.refresh_from_db()
    ptps = field_account(pemilu, PED, 17, "ptps-ped-17", phone="081234567890")
    PushSubscription.objects.create(user=ptps, endpoint="https://push.example/abc", p256dh="k", auth="a")
    PushSubscription.objects.create(user=ptps, endpoint="https://push.example/old", p256dh="k", auth="a", disabled_at="2024-01-01T00:00:00Z")
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        notify(recipients=[bawaslu, ptps], kind="info", title="Halo", election=pemilu)
    channels = {(d.notification.recipient.username, d.channel, d.address) for d in Delivery.objects.select_related("notification__recipient")}
    assert channels == {
        (personas.BAWASLU, "email", "ketua@bawaslu.example"),
        ("ptps-ped-17", "sms", "081234567890"),
        ("ptps-ped-17", "push", "https://push.example/abc"),
    }
    # The tasks wait for the caller's commit: one callback enqueues them.
    assert len(callbacks) == 1


@pytest.mark.django_db(transaction=True)
def test_notify_refuses_to_run_outside_the_callers_transaction(committed, user_of):
    with pytest.raises(RuntimeError):
        notify(recipients=[user_of(personas.BAWASLU)], kind="info", title="x")


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_caller_leaves_no_notification_and_sends_nothing(committed, user_of, mailoutbox):
    bawaslu = user_of(personas.BAWASLU)
    User.objects.filter(pk=bawaslu.pk).update(email="ketua@bawaslu.example")
    bawaslu.refresh_from_db()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[bawaslu], kind="info", title="x")
        raise RuntimeError("the caller fails after notify")
    assert not Notification.objects.exists() and mailoutbox == []
    with transaction.atomic():
        notify(recipients=[bawaslu], kind="info", title="Sesudah commit")
    assert [m.subject for m in mailoutbox] == ["[Sinergi] Sesudah commit"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer on one database lock: nothing to race")
@pytest.mark.django_db(transaction=True)
def test_two_workers_handling_one_event_at_once_notify_once(committed, user_of, mailoutbox):
    """Two workers (each its own connection and transaction) notify the same event at the same
    moment: the unique key lets one row in; the other writes nothing and sends nothing."""
    import threading

    from django.db import connections

    bawaslu = user_of(personas.BAWASLU)
    User.objects.filter(pk=bawaslu.pk).update(email="ketua@bawaslu.example")
    bawaslu.refresh_from_db()
    start = threading.Barrier(2)
    written = []

    def handle():
        try:
            start.wait()
            with transaction.atomic():
                written.append(notify(recipients=[bawaslu], kind="incident.escalated", title="Eskalasi", source_key="incident:7:escalated"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=handle) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(written) == [0, 1]
    assert Notification.objects.filter(source_key="incident:7:escalated").count() == 1
    assert Delivery.objects.count() == 1 and len(mailoutbox) == 1


def test_without_vapid_keys_push_is_off(user_of, settings):
    settings.WEBPUSH_VAPID_PRIVATE_KEY = ""
    ptps = user_of(personas.PTPS_PED)
    PushSubscription.objects.create(user=ptps, endpoint="https://fcm.googleapis.com/fcm/send/x", p256dh="k", auth="a")
    with transaction.atomic():
        notify(recipients=[ptps], kind="info", title="x")
    assert not Delivery.objects.filter(channel="push").exists()

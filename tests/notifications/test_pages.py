"""The notification list (what needs me now), marking read, the header's unread count, the push
subscription endpoint; nobody sees or touches another's notifications."""

from django.db import transaction

from sinergi.notifications.models import Notification, PushSubscription
from sinergi.notifications.queries import header_for
from sinergi.notifications.services import notify
from tests import personas

LIST = "/notifikasi/"


def given(user, *titles, url=""):
    with transaction.atomic():
        for title in titles:
            notify(recipients=[user], kind="info", title=title, url=url)
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def test_the_list_shows_unread_first_and_the_header_counts_them(client_of, user_of):
    bawaslu = user_of(personas.BAWASLU)
    old, new = given(bawaslu, "Lama sudah dibaca", "Baru belum dibaca")
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    page = client_of(personas.BAWASLU).get(LIST).content.decode()
    assert page.index("Baru belum dibaca") < page.index("Lama sudah dibaca")
    assert 'data-testid="unread-count">1<' in page


def test_mark_one_and_all_read(client_of, user_of):
    bawaslu = user_of(personas.BAWASLU)
    first, second, third = given(bawaslu, "satu", "dua", "tiga")
    client = client_of(personas.BAWASLU)
    assert client.post("/notifikasi/baca/", {"id": [first.pk]}).status_code == 302
    assert set(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True)) == {second.pk, third.pk}
    client.post("/notifikasi/baca/")
    assert not Notification.objects.filter(recipient=bawaslu, read_at__isnull=True).exists()
    assert 'data-testid="unread-count"' not in client.get(LIST).content.decode()


def test_opening_a_notification_marks_it_read_and_follows_its_link(client_of, user_of):
    [n] = given(user_of(personas.POLRES), "Kejadian dirujuk", url="/pemilihan/pemilu-2024/situasi/")
    answer = client_of(personas.POLRES).post(f"/notifikasi/{n.pk}/buka/")
    assert answer.status_code == 302 and answer["Location"] == "/pemilihan/pemilu-2024/situasi/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_a_link_to_another_site_is_not_followed(client_of, user_of):
    [n] = given(user_of(personas.POLRES), "x", url="https://evil.example/")
    assert client_of(personas.POLRES).post(f"/notifikasi/{n.pk}/buka/")["Location"] == LIST


def test_nobody_sees_or_touches_another_users_notifications(client_of, user_of):
    [n] = given(user_of(personas.BAWASLU), "Rahasia Bawaslu")
    polres = client_of(personas.POLRES)
    assert "Rahasia Bawaslu" not in polres.get(LIST).content.decode()
    assert polres.post(f"/notifikasi/{n.pk}/buka/").status_code == 404
    assert polres.post(f"/notifikasi/{n.pk}/konfirmasi/").status_code == 404
    polres.post("/notifikasi/baca/", {"id": [n.pk]})
    polres.post("/notifikasi/baca/")
    n.refresh_from_db()
    assert n.read_at is None


def test_the_list_needs_a_sign_in(client):
    assert client.get(LIST).status_code == 302


def test_the_header_costs_one_query(user_of, django_assert_num_queries):
    bawaslu, ptps = user_of(personas.BAWASLU), user_of(personas.PTPS_PED)
    given(bawaslu, "a", "b")
    with django_assert_num_queries(1):
        header = header_for(bawaslu)  # the unread count and the worker's state together
    assert header.unread == 2
    with django_assert_num_queries(1):
        assert header_for(ptps).unread == 0


def test_a_browser_subscribes_to_push_for_its_user(client_of, user_of):
    client = client_of(personas.PTPS_PED)
    body = {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "keys": {"p256dh": "BPk", "auth": "xyz"}}
    assert client.post("/notifikasi/push/langganan/", body, content_type="application/json").status_code == 201
    [subscription] = PushSubscription.objects.all()
    assert subscription.user == user_of(personas.PTPS_PED) and subscription.disabled_at is None
    # The same browser signed in as another account moves to it.
    assert client_of(personas.BAWASLU).post("/notifikasi/push/langganan/", body, content_type="application/json").status_code == 201
    assert PushSubscription.objects.get().user == user_of(personas.BAWASLU)
    assert client_of(personas.BAWASLU).post("/notifikasi/push/berhenti/", {"endpoint": body["endpoint"]}, content_type="application/json").json() == {
        "removed": 1
    }


def test_a_bad_push_subscription_is_refused_with_a_reason(client_of):
    client = client_of(personas.BAWASLU)
    answer = client.post(
        "/notifikasi/push/langganan/", {"endpoint": "http://10.0.0.1/x", "keys": {"p256dh": "a", "auth": "b"}}, content_type="application/json"
    )
    assert answer.status_code == 400 and "https://" in answer.json()["detail"]
    assert client.post("/notifikasi/push/langganan/", "bukan json", content_type="application/json").status_code == 400
    # An https address that is no browser's push service (Sinergi would post to it): refused.
    inside = client.post(
        "/notifikasi/push/langganan/", {"endpoint": "https://intranet.example/x", "keys": {"p256dh": "a", "auth": "b"}}, content_type="application/json"
    )
    assert inside.status_code == 400 and "intranet.example" in inside.json()["detail"]
    assert not PushSubscription.objects.exists()


def test_the_service_worker_is_served_without_a_sign_in(client):
    answer = client.get("/notifikasi/sw.js")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/javascript") and b"showNotification" in answer.content


def test_desk_pages_load_the_push_script_only_when_keys_are_set(client_of, settings):
    assert b"sinergi/push.js" not in client_of(personas.BAWASLU).get(LIST).content
    settings.WEBPUSH_VAPID_PUBLIC_KEY = "BPublicKey"
    page = client_of(personas.BAWASLU).get(LIST).content.decode()
    assert "sinergi/push.js" in page and 'data-key="BPublicKey"' in page


def test_the_api_lists_reads_and_acknowledges_only_the_callers_own(client_of, user_of):
    from sinergi.notifications.models import Broadcast
    from sinergi.notifications.services import _write

    polres = user_of(personas.POLRES)
    given(polres, "Satu", "Dua")
    [other] = given(user_of(personas.BAWASLU), "Milik Bawaslu")
    api = client_of(personas.POLRES)
    listed = api.get("/api/v1/notifications").json()
    assert listed["count"] == 2 and {n["title"] for n in listed["items"]} == {"Satu", "Dua"}
    first = listed["items"][0]["id"]
    answer = api.post(f"/api/v1/notifications/{first}/read")
    assert answer.status_code == 200 and answer.json()["read_at"] is not None
    assert api.get("/api/v1/notifications?unread=true").json()["count"] == 1
    assert api.post(f"/api/v1/notifications/{other.pk}/read").status_code == 404
    assert api.post(f"/api/v1/notifications/{other.pk}/acknowledge").status_code == 404
    assert api.post(f"/api/v1/notifications/{first}/acknowledge").status_code == 400  # not a broadcast
    broadcast = Broadcast.objects.create(sender=user_of(personas.POLRES), sender_agency=polres.agency, area_id="51.05", agency_kind="polres", title="Apel")
    with transaction.atomic():
        _write(recipients=[polres], kind="broadcast", title="Apel", body="", url="", election=None, source_key="", broadcast=broadcast)
    acked = api.post(f"/api/v1/notifications/{Notification.objects.get(broadcast=broadcast).pk}/acknowledge")
    assert acked.status_code == 200 and acked.json()["acknowledged_at"] is not None and acked.json()["needs_acknowledgement"] is False


def test_the_operator_reads_deliveries_and_heartbeats_in_the_admin(client, user_of):
    from sinergi.accounts.models import User

    User.objects.create_superuser("operator-notif", "op@example.com", personas.PASSWORD)
    client.force_login(User.objects.get(username="operator-notif"))
    given(user_of(personas.BAWASLU), "x")
    assert client.get("/admin/notifications/delivery/").status_code == 200
    assert client.get("/admin/core/workerheartbeat/").status_code == 200
    assert client.get("/admin/notifications/delivery/add/").status_code == 403


def test_an_id_beyond_any_row_is_not_found_not_an_error(client_of, user_of):
    client = client_of(personas.BAWASLU)
    huge = "9" * 25
    assert client.post(f"/notifikasi/{huge}/buka/").status_code == 404
    assert client.post(f"/notifikasi/{huge}/konfirmasi/").status_code == 404
    assert client.get(f"/pemilihan/pemilu-2024/siaran/{huge}/").status_code == 404
    [unread] = given(user_of(personas.BAWASLU), "tetap belum dibaca")
    assert client.post("/notifikasi/baca/", {"id": [huge]}).status_code == 302
    unread.refresh_from_db()
    assert unread.read_at is None  # an id of nothing marks nothing, not everything

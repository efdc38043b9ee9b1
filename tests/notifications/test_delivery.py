"""Each delivery is a background task that hands the notification to its channel and records the
outcome on its row: e-mail through Django's mail (the tests' locmem outbox), SMS through the
outbound SMS adapter (console backend), Web Push with pywebpush against a local HTTP server
standing in for a browser vendor's push service."""

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sinergi.accounts.models import User
from sinergi.notifications.models import Delivery, PushSubscription
from sinergi.notifications.push_keys import b64url, new_key_pair
from sinergi.notifications.services import notify
from sinergi.notifications.tasks import MAX_ATTEMPTS
from tests import personas
from tests.notifications.helpers import field_account

PED = "51.05.01.2010"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def send(recipients, **fields):
    """notify() in a transaction of its own, so that its tasks run on commit (immediate backend)."""
    with transaction.atomic():
        return notify(recipients=recipients, kind=fields.pop("kind", "info"), **fields)


@pytest.fixture
def officer(committed, user_of):
    user = user_of(personas.BAWASLU)
    User.objects.filter(pk=user.pk).update(email="ketua@bawaslu.example")
    user.refresh_from_db()
    return user


@pytest.mark.django_db(transaction=True)
def test_email_delivery_goes_through_django_mail(officer, mailoutbox, settings):
    settings.SITE_URL = "https://sinergi.example.go.id"
    send([officer], title="Kejadian dirujuk ke Polsek", body="TPS 17 Ped.", url="/pemilihan/pemilu-2024/")
    [message] = mailoutbox
    assert message.to == ["ketua@bawaslu.example"] and message.subject == "[Sinergi] Kejadian dirujuk ke Polsek"
    assert "TPS 17 Ped." in message.body and "https://sinergi.example.go.id/pemilihan/pemilu-2024/" in message.body
    delivery = Delivery.objects.get(channel="email")
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 1 and delivery.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_sms_delivery_goes_through_the_outbound_sms_adapter(committed, pemilu, capsys):
    ptps = field_account(pemilu, PED, 17, "ptps-ped-17", phone="081234567890")
    send([ptps], title="Laporan persiapan belum masuk", url="/lapangan/")
    out = capsys.readouterr().out
    assert "SMS ke +6281234567890" in out and "Sinergi: Laporan persiapan belum masuk /lapangan/" in out
    assert Delivery.objects.get(channel="sms").status == Delivery.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_a_failed_sms_is_recorded_on_its_delivery(committed, pemilu, settings):
    settings.SMS_BACKEND, settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN, settings.SMS_GATEWAY_TIMEOUT = "http", "http://127.0.0.1:9/kirim", "t", 2
    ptps = field_account(pemilu, PED, 17, "ptps-ped-17", phone="081234567890")
    send([ptps], title="x")
    delivery = Delivery.objects.get(channel="sms")
    # The immediate backend cannot defer a retry: failed at once, with the reason.
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 1 and "tidak terjangkau" in delivery.last_error


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_a_failure_is_retried_later_then_fails_for_good(committed, pemilu, settings):
    from django.core.management import call_command

    settings.TASKS = DATABASE_TASKS
    settings.SMS_BACKEND, settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN, settings.SMS_GATEWAY_TIMEOUT = "http", "http://127.0.0.1:9/kirim", "t", 2
    ptps = field_account(pemilu, PED, 17, "ptps-ped-17", phone="081234567890")
    send([ptps], title="x")
    delivery = Delivery.objects.get(channel="sms")
    assert delivery.status == Delivery.Status.QUEUED  # waits for the worker
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", "--no-scheduler", verbosity=0)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.RETRYING and delivery.attempts == 1 and delivery.next_attempt_at is not None
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.task_path == "sinergi.notifications.tasks.deliver" and retry.run_after == delivery.next_attempt_at
    # The last attempts, as the worker would run them when due.
    from sinergi.notifications.tasks import deliver

    for _ in range(MAX_ATTEMPTS - 1):
        deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == MAX_ATTEMPTS and delivery.last_error


class PushService:
    """A local HTTP server standing in for a push service: records each request, answers `status`."""

    def __init__(self, status: int = 201):
        self.status, self.requests = status, []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append((self.path, dict(self.headers), body))
                self.send_response(outer.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service():
    services = []

    def start(status=201):
        services.append(PushService(status))
        return services[-1]

    yield start
    for service in services:
        service.close()


def browser_keys():
    """What a browser makes when it subscribes: an ECDH key pair and a 16-byte auth secret."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return private, b64url(public), os.urandom(16)


@pytest.mark.django_db(transaction=True)
def test_push_delivery_reaches_the_push_service_encrypted_and_signed(officer, push_service, settings):
    public_key, private_key = new_key_pair()
    settings.WEBPUSH_VAPID_PUBLIC_KEY, settings.WEBPUSH_VAPID_PRIVATE_KEY = public_key, private_key
    service = push_service(201)
    browser_private, p256dh, auth = browser_keys()
    PushSubscription.objects.create(user=officer, endpoint=f"{service.url}/push/abc", p256dh=p256dh, auth=b64url(auth))
    send([officer], title="Eskalasi kejadian", body="Belum ditanggapi.", url="/notifikasi/")
    [(path, headers, body)] = service.requests
    headers = {k.lower(): v for k, v in headers.items()}
    assert path == "/push/abc" and headers["content-encoding"] == "aes128gcm" and headers["authorization"].startswith("vapid t=")
    assert f"k={public_key}" in headers["authorization"].replace(" ", "")
    payload = json.loads(http_ece.decrypt(body, private_key=browser_private, auth_secret=auth, version="aes128gcm"))
    assert payload["title"] == "Eskalasi kejadian" and payload["body"] == "Belum ditanggapi." and payload["url"] == "/notifikasi/"
    assert Delivery.objects.get(channel="push").status == Delivery.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_a_push_subscription_the_service_calls_gone_is_disabled(officer, push_service, settings):
    settings.WEBPUSH_VAPID_PUBLIC_KEY, settings.WEBPUSH_VAPID_PRIVATE_KEY = new_key_pair()
    service = push_service(410)
    _, p256dh, auth = browser_keys()
    subscription = PushSubscription.objects.create(user=officer, endpoint=f"{service.url}/push/gone", p256dh=p256dh, auth=b64url(auth))
    send([officer], title="x")
    delivery = Delivery.objects.get(channel="push")
    assert len(service.requests) == 1 and delivery.status == Delivery.Status.FAILED and "410" in delivery.last_error
    subscription.refresh_from_db()
    assert subscription.disabled_at is not None
    send([officer], title="y")  # the next notification no longer goes there
    assert Delivery.objects.filter(channel="push").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_push_service_error_is_recorded(officer, push_service, settings):
    settings.WEBPUSH_VAPID_PUBLIC_KEY, settings.WEBPUSH_VAPID_PRIVATE_KEY = new_key_pair()
    service = push_service(500)
    _, p256dh, auth = browser_keys()
    PushSubscription.objects.create(user=officer, endpoint=f"{service.url}/push/x", p256dh=p256dh, auth=b64url(auth))
    send([officer], title="x")
    delivery = Delivery.objects.get(channel="push")
    assert delivery.status == Delivery.Status.FAILED and "500" in delivery.last_error


def test_b64url_round_trip():
    assert base64.urlsafe_b64decode(b64url(b"\xff\x00abc") + "==") == b"\xff\x00abc"

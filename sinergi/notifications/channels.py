"""The outbound channels of notifications, behind one interface.

A channel says where a user can be reached (`addresses`, computed for many users at once when a
notification is written) and sends one delivery (`send`, in the background task). `send` raises
`Retry` for a failure worth another attempt (a gateway down, a timeout) and `Gone` for one that
will not heal (a push subscription the push service no longer knows).

Who gets what (docs/notifications.md): the in-app list always; e-mail when the account has an
address; SMS for field accounts whose supervisor record has a phone; Web Push on every browser
the user subscribed.
"""

import json
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail

from sinergi.core.outbound_sms import SmsError, send_sms


class Retry(Exception):
    """A failure worth trying again later."""


class Gone(Exception):
    """A failure that will not heal: the delivery fails for good."""


def full_url(url: str) -> str:
    """A notification's link as people can open it from a message outside the app."""
    if url.startswith("/") and settings.SITE_URL:
        return settings.SITE_URL + url
    return url


class EmailChannel:
    name = "email"

    def addresses(self, users: Iterable) -> dict[int, list[tuple[str, object]]]:
        return {user.pk: [(user.email, None)] for user in users if user.email}

    def send(self, delivery) -> None:
        notification = delivery.notification
        text = notification.body
        if notification.url:
            text = f"{text}\n\n{full_url(notification.url)}".strip()
        try:
            send_mail(f"[Sinergi] {notification.title}", text + "\n", None, [delivery.address])
        except OSError as error:
            raise Retry(f"surel gagal: {error}") from None


class SmsChannel:
    name = "sms"

    def addresses(self, users: Iterable) -> dict[int, list[tuple[str, object]]]:
        from sinergi.accounts.models import User
        from sinergi.supervisors.models import Supervisor

        field = [user.pk for user in users if user.role == User.Role.FIELD]
        if not field:
            return {}
        phones = Supervisor.objects.filter(user_id__in=field).exclude(phone="").values_list("user_id", "phone")
        return {user_id: [(phone, None)] for user_id, phone in phones}

    def send(self, delivery) -> None:
        notification = delivery.notification
        text = f"Sinergi: {notification.title}"
        if notification.url:
            text += f" {full_url(notification.url)}"
        try:
            send_sms(delivery.address, text[:320])
        except SmsError as error:
            raise Retry(str(error)) from None


class PushChannel:
    name = "push"

    def addresses(self, users: Iterable) -> dict[int, list[tuple[str, object]]]:
        from sinergi.notifications.models import PushSubscription

        if not settings.WEBPUSH_VAPID_PRIVATE_KEY:
            return {}  # push is off without the deployment's keys
        found: dict[int, list] = {}
        for subscription in PushSubscription.objects.filter(user__in=[user.pk for user in users], disabled_at__isnull=True):
            found.setdefault(subscription.user_id, []).append((subscription.endpoint[:254], subscription))
        return found

    def send(self, delivery) -> None:
        from pywebpush import WebPushException, webpush

        subscription = delivery.subscription
        if subscription is None or subscription.disabled_at is not None:
            raise Gone("langganan push sudah tidak aktif")
        if not settings.WEBPUSH_VAPID_PRIVATE_KEY:
            raise Gone("kunci VAPID belum diatur (WEBPUSH_VAPID_PRIVATE_KEY)")
        notification = delivery.notification
        payload = json.dumps(
            {"title": notification.title, "body": notification.body[:300], "url": notification.url or "/notifikasi/", "tag": f"n{notification.pk}"}
        )
        try:
            webpush(
                subscription_info={"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
                data=payload,
                vapid_private_key=settings.WEBPUSH_VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.WEBPUSH_VAPID_SUBJECT},
                timeout=settings.WEBPUSH_TIMEOUT,
                ttl=24 * 3600,
            )
        except WebPushException as error:
            status = getattr(error.response, "status_code", None)
            if status in (404, 410):
                raise Gone(f"layanan push menjawab {status}: langganan berakhir") from None
            raise Retry(f"layanan push menjawab {status or 'tanpa jawaban'}") from None
        except OSError as error:
            raise Retry(f"layanan push tidak terjangkau: {error}") from None


CHANNELS = {channel.name: channel for channel in (EmailChannel(), SmsChannel(), PushChannel())}

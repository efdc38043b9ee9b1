"""Background work of notifications: one task per delivery (docs/notifications.md)."""

import logging
from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from sinergi.notifications.channels import CHANNELS, Gone, Retry
from sinergi.notifications.models import Delivery, PushSubscription

log = logging.getLogger(__name__)

# Attempts per delivery, and the wait before each retry (the last one is the cap).
MAX_ATTEMPTS = 5
BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30))


@task
def deliver(delivery_id: int) -> str:
    """Send one delivery through its channel, recording the attempt on its row: sent; or, on a
    failure worth retrying, the error and a retry enqueued for later (up to MAX_ATTEMPTS, when the
    task backend can defer); or failed for good with its reason. Never sends a delivery twice."""
    delivery = Delivery.objects.select_related("notification", "subscription").filter(pk=delivery_id).first()
    if delivery is None:
        return "hilang"
    if delivery.status in (Delivery.Status.SENT, Delivery.Status.FAILED):
        return delivery.status
    attempts = delivery.attempts + 1
    try:
        CHANNELS[delivery.channel].send(delivery)
    except Gone as error:
        Delivery.objects.filter(pk=delivery_id).update(status=Delivery.Status.FAILED, attempts=attempts, last_error=str(error)[:300], next_attempt_at=None)
        if delivery.subscription_id and "langganan berakhir" in str(error):
            PushSubscription.objects.filter(pk=delivery.subscription_id).update(disabled_at=timezone.now())
        return Delivery.Status.FAILED
    except Retry as error:
        can_defer = deliver.get_backend().supports_defer
        if attempts >= MAX_ATTEMPTS or not can_defer:
            Delivery.objects.filter(pk=delivery_id).update(status=Delivery.Status.FAILED, attempts=attempts, last_error=str(error)[:300], next_attempt_at=None)
            log.warning("delivery %s failed for good after %s attempts: %s", delivery_id, attempts, error)
            return Delivery.Status.FAILED
        when = timezone.now() + BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
        Delivery.objects.filter(pk=delivery_id).update(status=Delivery.Status.RETRYING, attempts=attempts, last_error=str(error)[:300], next_attempt_at=when)
        deliver.using(run_after=when).enqueue(delivery_id)
        return Delivery.Status.RETRYING
    Delivery.objects.filter(pk=delivery_id).update(status=Delivery.Status.SENT, attempts=attempts, sent_at=timezone.now(), last_error="", next_attempt_at=None)
    return Delivery.Status.SENT

"""The notifications API (`/api/v1/notifications`): a user's own notifications, marking read,
acknowledging a broadcast, and a browser's push subscription. Nobody reads or touches another's."""

from datetime import datetime

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from sinergi.core.pagination import BoundedLimitOffset
from sinergi.core.params import RowId
from sinergi.notifications import services
from sinergi.notifications.models import Notification
from sinergi.notifications.queries import notifications_of

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    election: str | None
    created_at: datetime
    read_at: datetime | None
    needs_acknowledgement: bool
    acknowledged_at: datetime | None

    @staticmethod
    def resolve_election(obj) -> str | None:
        return obj.election.slug if obj.election_id else None


class PushKeys(Schema):
    p256dh: str
    auth: str


class PushSubscriptionIn(Schema):
    endpoint: str
    keys: PushKeys


class Subscribed(Schema):
    ok: bool


def _own(request, pk: int) -> Notification:
    notification = notifications_of(request.auth).select_related("election").filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification


@router.get("", response=list[NotificationOut], summary="The caller's notifications (awaiting acknowledgement, unread, then read)")
@paginate(BoundedLimitOffset)
def list_notifications(request, unread: bool = Query(False)):
    """`unread=true`: only those not read yet."""
    notifications = notifications_of(request.auth).select_related("election")
    return notifications.filter(read_at__isnull=True) if unread else notifications


@router.post("/{notification_id}/read", response=NotificationOut, summary="Mark one of the caller's notifications read")
def read_notification(request, notification_id: RowId):
    _own(request, notification_id)
    services.mark_read(user=request.auth, ids=[notification_id])
    return _own(request, notification_id)


@router.post("/{notification_id}/acknowledge", response=NotificationOut, summary="Acknowledge a broadcast (once; a repeat changes nothing)")
def acknowledge_notification(request, notification_id: RowId):
    _own(request, notification_id)
    services.acknowledge(user=request.auth, notification_id=notification_id)
    return _own(request, notification_id)


@router.post("/push-subscriptions", response={201: Subscribed}, summary="Store a browser's Web Push subscription for the caller")
def subscribe(request, payload: PushSubscriptionIn):
    services.subscribe_push(
        user=request.auth, endpoint=payload.endpoint, p256dh=payload.keys.p256dh, auth=payload.keys.auth, user_agent=request.headers.get("User-Agent", "")
    )
    return 201, {"ok": True}

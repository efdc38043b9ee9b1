"""Reads of notifications, each scoped to its reader: a user sees only their own notifications;
a broadcast's acknowledgements only its sender's agency (and a superuser)."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.core import schedule
from sinergi.notifications.models import Broadcast, Notification


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's notifications: those waiting for an acknowledgement, then unread, then the rest,
    newest first within each."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("broadcast")
        .annotate(rank=Case(When(broadcast__isnull=False, acknowledged_at__isnull=True, then=0), When(read_at__isnull=True, then=1), default=2))
        .order_by("rank", "-created_at", "-pk")
    )


def awaiting_acknowledgement(user: User, limit: int = 10) -> list[Notification]:
    """The broadcasts the user has not yet acknowledged, newest first (the field apps' panel)."""
    if not user.is_authenticated:
        return []
    return list(Notification.objects.filter(recipient=user, broadcast__isnull=False, acknowledged_at__isnull=True).order_by("-created_at", "-pk")[:limit])


def is_desk(user: User) -> bool:
    """Staff and administrators (and the operator): those who depend on background work and are
    told when it is late."""
    return user.is_superuser or user.role in (User.Role.ADMIN, User.Role.STAFF)


@dataclass
class Header:
    unread: int
    worker_late: bool


def header_for(user: User) -> Header:
    """The page header's unread count and, for desk accounts, whether background work is late:
    one query for both."""
    q = connection.ops.quote_name
    table = Notification._meta.db_table
    columns = [f"(SELECT COUNT(*) FROM {q(table)} WHERE {q('recipient_id')} = %s AND {q('read_at')} IS NULL)"]
    params: list = [user.pk]
    now = timezone.now()
    desk = is_desk(user)
    if desk:
        worker_columns, worker_params = schedule.worker_state_sql(now)
        columns += worker_columns
        params += worker_params
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        row = cursor.fetchone()
    return Header(unread=row[0], worker_late=schedule.late_from(now, *row[1:]) if desk else False)


def broadcasts_visible_to(user: User) -> QuerySet[Broadcast]:
    """Broadcasts sent by the user's agency (every one for a superuser), with their counts."""
    broadcasts = (
        Broadcast.objects.all()
        if user.is_superuser
        else Broadcast.objects.filter(sender_agency_id=user.agency_id)
        if user.agency_id
        else Broadcast.objects.none()
    )
    return broadcasts.select_related("sender", "area").annotate(
        recipients=Count("notifications"), acknowledged=Count("notifications", filter=Q(notifications__acknowledged_at__isnull=False))
    )


def broadcast_for(user: User, pk: int) -> Broadcast:
    broadcast = broadcasts_visible_to(user).filter(pk=pk).first()
    if broadcast is None:
        raise Http404
    return broadcast


def acknowledgements(broadcast: Broadcast) -> list[Notification]:
    """Each recipient of a broadcast with when they read and acknowledged it: who has not yet."""
    return list(broadcast.notifications.select_related("recipient__agency").order_by("acknowledged_at", "recipient__agency__name", "recipient__username"))

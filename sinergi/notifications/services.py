"""Every write of notifications (docs/notifications.md).

`notify` is the contract the other parts call, inside their own transaction, when something needs
a person: it writes one `Notification` per recipient and, once the caller's transaction commits,
enqueues one delivery task per channel address. `recipients_of` picks the active users of
agencies. Broadcasts with acknowledgement and the coverage board's nudge are built on them.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime
from functools import partial
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sinergi.accounts.hierarchy import kinds_managed_by
from sinergi.accounts.models import Agency, User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, record
from sinergi.notifications.channels import CHANNELS
from sinergi.notifications.models import Broadcast, Delivery, Notification, PushSubscription
from sinergi.regions.codes import is_within
from sinergi.regions.models import Region
from sinergi.regions.queries import related_to, within

# What a broadcast of each sender's agency kind may reach: its own kind and the kinds below it
# (Bawaslu → Panwascam → PKD and its PTPS; Polres → Polsek), accounts/hierarchy.py.
BROADCAST_SENDERS = (Agency.Kind.BAWASLU, Agency.Kind.POLRES)


def recipients_of(agencies, roles: Iterable[str] | None = None) -> QuerySet[User]:
    """The active users of `agencies` (a queryset, or an iterable of agencies or their ids),
    optionally only those of `roles` (User.Role values)."""
    users = User.objects.filter(is_active=True, agency__in=agencies)
    if roles is not None:
        users = users.filter(role__in=list(roles))
    return users


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    election=None,
    source_key: str = "",
) -> int:
    """Tell `recipients` (users; inactive ones are skipped) something: one notification each,
    listed in their /notifikasi/ page, and one delivery per channel that reaches them (e-mail,
    SMS for field accounts with a phone, Web Push per subscribed browser), sent by background
    tasks enqueued when the caller's transaction commits. Must run inside the caller's
    transaction (no audit of its own: the caller's event says what happened).

    With `source_key` (the caller's name for the event, e.g. "incident:12:escalated"), a recipient
    who already has a notification with that key gets none: an event handled twice notifies once.
    Returns the number of notifications written."""
    return _write(recipients=recipients, kind=kind, title=title, body=body, url=url, election=election, source_key=source_key, broadcast=None)


def _write(*, recipients, kind, title, body, url, election, source_key, broadcast: Broadcast | None) -> int:
    """`notify`, also for a broadcast's notifications (which carry it, for the acknowledgement)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify() must be called inside the caller's transaction")
    users = {user.pk: user for user in recipients if user.is_active}
    if source_key:
        already = set(Notification.objects.filter(recipient_id__in=list(users), source_key=source_key).values_list("recipient_id", flat=True))
        users = {pk: user for pk, user in users.items() if pk not in already}
    if not users:
        return 0
    batch = uuid.uuid4().hex
    title, url = title[:200], url[:300]
    rows = [
        Notification(
            recipient_id=pk, kind=kind[:40], title=title, body=body, url=url, election=election, source_key=source_key[:120], batch=batch, broadcast=broadcast
        )
        for pk in users
    ]
    # A concurrent writer of the same key wins the unique constraint; this call then skips that row.
    Notification.objects.bulk_create(rows, ignore_conflicts=bool(source_key))
    written = dict(Notification.objects.filter(batch=batch).values_list("recipient_id", "pk"))
    deliveries = []
    for channel in CHANNELS.values():
        for user_id, addresses in channel.addresses([users[pk] for pk in written]).items():
            for address, subscription in addresses:
                deliveries.append(Delivery(notification_id=written[user_id], channel=channel.name, address=address[:254], subscription=subscription))
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        ids = list(Delivery.objects.filter(notification__batch=batch).values_list("pk", flat=True))
        transaction.on_commit(partial(_enqueue_deliveries, ids))
    return len(written)


def _enqueue_deliveries(ids: list[int]) -> None:
    from sinergi.notifications.tasks import deliver

    for pk in ids:
        deliver.enqueue(pk)


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (`ids`: those only; None: all). Bookkeeping of the
    reader's own list, not audited."""
    with transaction.atomic(durable=True):
        rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
        if ids is not None:
            rows = rows.filter(pk__in=list(ids))
        return rows.update(read_at=timezone.now())


def acknowledge(*, user: User, notification_id: int) -> Notification:
    """The recipient confirms they received a broadcast (read as well). Audited; a second
    acknowledgement changes nothing. Another user's notification: 404 (Notification.DoesNotExist)."""
    with transaction.atomic(durable=True):
        notification = Notification.objects.select_for_update(of=("self",)).select_related("broadcast").get(pk=notification_id, recipient=user)
        if notification.broadcast_id is None:
            raise ValidationError(_("Pemberitahuan ini tidak meminta konfirmasi."))
        if notification.acknowledged_at is not None:
            return notification
        now = timezone.now()
        notification.acknowledged_at = now
        notification.read_at = notification.read_at or now
        notification.save(update_fields=["acknowledged_at", "read_at"])
        record(
            actor=user,
            changes=[
                Change(
                    "notifications.acknowledge",
                    "notifications.broadcast",
                    notification.broadcast_id,
                    notification.broadcast.title,
                    changes={"acknowledged_by": [None, user.username]},
                    region=notification.broadcast.area_id,
                )
            ],
        )
    return notification


def subscribe_push(*, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> PushSubscription:
    """Register (or move to this user, or re-enable) one browser's push subscription. Audited
    without the keys."""
    if not endpoint.startswith("https://") or len(endpoint) > 600 or not p256dh or not auth or len(p256dh) > 200 or len(auth) > 100:
        raise ValidationError(_("Langganan push tidak sah: endpoint harus alamat https:// dan kunci p256dh/auth harus ada."))
    host = (urlsplit(endpoint).hostname or "").lower()
    if not any(host == allowed or host.endswith("." + allowed) for allowed in settings.WEBPUSH_SERVICE_HOSTS):
        raise ValidationError(_("Layanan push %(host)s tidak dikenal: hanya layanan push peramban yang diterima.") % {"host": host})
    with transaction.atomic(durable=True):
        subscription, created = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:200], "disabled_at": None}
        )
        record(
            actor=user,
            changes=[
                Change("notifications.push_subscribe", "notifications.pushsubscription", subscription.pk, user.username, changes={"created": [None, created]})
            ],
        )
    return subscription


def unsubscribe_push(*, user: User, endpoint: str) -> int:
    with transaction.atomic(durable=True):
        gone = PushSubscription.objects.filter(user=user, endpoint=endpoint, disabled_at__isnull=True).update(disabled_at=timezone.now())
        if gone:
            record(actor=user, changes=[Change("notifications.push_unsubscribe", "notifications.pushsubscription", "", user.username)])
    return gone


# --- Broadcasts --------------------------------------------------------------------------------


def broadcast_kinds(user: User) -> list[str]:
    """The agency kinds a user may broadcast to."""
    if user.agency_id is None or user.agency.kind not in BROADCAST_SENDERS:
        return []
    return sorted(kinds_managed_by(user.agency.kind))


def broadcast_audience(user: User, *, area: str, agency_kind: str, role: str = "") -> QuerySet[User]:
    """Who a broadcast reaches: active users of agencies of `agency_kind` whose region is the area,
    inside it or above it (the Polsek of a village), within the sender's own area; `role`, when
    given, narrows to that role (PTPS: PKD and "field")."""
    sender_area = user.area_code
    agencies = Agency.objects.filter(related_to("region__code", area), within("region__code", sender_area), kind=agency_kind)
    users = recipients_of(agencies, [role] if role else None)
    # An account with a narrower area of its own is reached only when it touches the target area.
    return users.filter(Q(area__isnull=True) | related_to("area__code", area))


def send_broadcast(*, actor: User, election, area: str, agency_kind: str, role: str, title: str, body: str) -> Broadcast:
    """Bawaslu's or the Polres's message to the PTPS or officers of an area: a notification to
    each, asking for acknowledgement. Audited with its recipient count."""
    require(actor, Perm.SEND_BROADCASTS)
    errors = {}
    if agency_kind not in broadcast_kinds(actor):
        errors["agency_kind"] = _("Pilih jenis lembaga penerima yang dapat Anda kirimi siaran.")
    if role and role not in User.Role.values:
        errors["role"] = _("Peran penerima tidak dikenal.")
    region = Region.objects.filter(code=area).first()
    if region is None or (actor.area_code is not None and not is_within(area, actor.area_code)):
        errors["area"] = _("Wilayah harus berada di dalam wilayah kerja Anda.")
    if not title.strip():
        errors["title"] = _("Judul siaran wajib diisi.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        audience = list(broadcast_audience(actor, area=area, agency_kind=agency_kind, role=role).exclude(pk=actor.pk))
        if not audience:
            raise ValidationError({"area": _("Tidak ada akun aktif yang sesuai dengan wilayah, jenis lembaga dan peran ini.")})
        broadcast = Broadcast.objects.create(
            election=election,
            sender=actor,
            sender_agency=actor.agency,
            area=region,
            agency_kind=agency_kind,
            role=role,
            title=title.strip()[:150],
            body=body.strip(),
        )
        count = _write(
            recipients=audience,
            kind="broadcast",
            title=broadcast.title,
            body=broadcast.body,
            url="/notifikasi/",
            election=election,
            source_key=f"broadcast:{broadcast.pk}",
            broadcast=broadcast,
        )
        record(
            actor=actor,
            changes=[
                Change(
                    "notifications.broadcast",
                    "notifications.broadcast",
                    broadcast.pk,
                    broadcast.title,
                    election=election.slug if election else "",
                    changes={"area": [None, area], "agency_kind": [None, agency_kind], "role": [None, role], "recipients": [None, count]},
                    region=area,
                )
            ],
        )
    return broadcast


# --- The coverage board's nudge -----------------------------------------------------------------


def nudge_audience(user: User, election, stage: str, by: datetime) -> tuple[list[int], QuerySet[User]]:
    """The TPS of the user's area that have not reported `stage` by `by`, and the field accounts
    of their active PTPS (a PTPS without an account cannot be reached in the app: the board lists
    its phone)."""
    from sinergi.supervisors.coverage import coverage_for
    from sinergi.supervisors.models import Assignment

    coverage = coverage_for(user, election, stage, by)
    missing = [station.pk for station in coverage.stations if station.pk not in coverage.reported]
    users = User.objects.filter(
        is_active=True,
        role=User.Role.FIELD,
        supervisor__assignments__election=election,
        supervisor__assignments__role=Assignment.Role.PTPS,
        supervisor__assignments__status__in=Assignment.ACTIVE,
        supervisor__assignments__station_id__in=missing,
    ).distinct()
    return missing, users


def nudge_missing(*, actor: User, election, stage: str, by: datetime) -> int:
    """Remind every PTPS of the actor's area whose TPS has not reported `stage` by `by`. Asked
    twice for the same stage and time, each PTPS is reminded once. Audited with the counts."""
    from sinergi.supervisors.models import Question

    require(actor, Perm.NUDGE_PTPS)
    with transaction.atomic(durable=True), translation.override(settings.LANGUAGE_CODE):
        # Stored in the source language (Indonesian), whatever language the sender reads.
        label = str(Question.Stage(stage).label)
        missing, users = nudge_audience(actor, election, stage, by)
        local = timezone.localtime(by, ZoneInfo(election.time_zone))
        count = notify(
            recipients=list(users),
            kind="coverage.nudge",
            title=_("Laporan %(stage)s TPS Anda belum masuk") % {"stage": label},
            body=_("Per pukul %(time)s laporan tahap %(stage)s dari TPS Anda belum diterima. Kirim segera dari aplikasi lapangan.")
            % {"time": local.strftime("%H:%M"), "stage": label},
            url="/lapangan/",
            election=election,
            source_key=f"nudge:{election.pk}:{stage}:{by:%Y%m%d%H%M}",
        )
        record(
            actor=actor,
            changes=[
                Change(
                    "notifications.nudge",
                    "elections.election",
                    election.pk,
                    str(election),
                    election=election.slug,
                    changes={"stage": [None, stage], "by": [None, by.isoformat()], "stations": [None, len(missing)], "recipients": [None, count]},
                    region=actor.area_code or "",
                )
            ],
        )
    return count

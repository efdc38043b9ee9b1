"""The notifications' part of `sinergi demo`: on the eve of the Pemilu's voting day, Bawaslu
Klungkung's broadcast to the PTPS of Nusa Penida, acknowledged by the demo PTPS of Ped TPS 17."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sinergi.accounts.models import User
from sinergi.elections.models import Election
from sinergi.notifications.models import Broadcast, Notification
from sinergi.notifications.services import acknowledge, send_broadcast

TITLE = "Apel siaga PTPS pukul 06.00 WITA"


def seed(election: Election) -> int:
    """The broadcast once (Pemilu 2024 only); returns its recipient count (0 when already there)."""
    from sinergi.supervisors.demo import FIELD_ACCOUNT

    sender = User.objects.filter(username="bawaslu", is_active=True).first()
    if election.slug != "pemilu-2024" or sender is None or Broadcast.objects.filter(election=election, title=TITLE).exists():
        return 0
    broadcast = send_broadcast(
        actor=sender,
        election=election,
        area="51.05.01",
        agency_kind="pkd",
        role=User.Role.FIELD,
        title=TITLE,
        body="Seluruh PTPS Nusa Penida hadir di TPS masing-masing pukul 06.00 WITA, memeriksa kotak suara tersegel, dan melapor tahap persiapan sebelum 07.30.",
    )
    tz = ZoneInfo(election.time_zone)
    sent = datetime(2024, 2, 13, 18, 0, tzinfo=tz)
    Broadcast.objects.filter(pk=broadcast.pk).update(created_at=sent)
    Notification.objects.filter(broadcast=broadcast).update(created_at=sent)
    field = Notification.objects.filter(broadcast=broadcast, recipient__username=FIELD_ACCOUNT).first()
    if field is not None:
        acknowledge(user=field.recipient, notification_id=field.pk)
        seen = datetime(2024, 2, 13, 18, 20, tzinfo=tz)
        Notification.objects.filter(pk=field.pk).update(read_at=seen, acknowledged_at=seen)
    return broadcast.notifications.count()

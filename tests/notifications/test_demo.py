"""The demo's broadcast: sent once, acknowledged by the demo PTPS."""

from sinergi.notifications import demo
from sinergi.notifications.models import Broadcast


def test_the_demo_broadcast_is_sent_once_and_acknowledged_by_the_demo_ptps(pemilu, pilkada):
    recipients = demo.seed(pemilu)
    assert recipients >= 1 and demo.seed(pemilu) == 0 and demo.seed(pilkada) == 0
    broadcast = Broadcast.objects.get()
    assert broadcast.created_at.year == 2024 and broadcast.notifications.filter(acknowledged_at__isnull=False).count() == 1

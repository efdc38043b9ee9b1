"""The demo meeting of 16 January 2024: written once, with done, open and overdue items."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.coordination import demo
from sinergi.coordination.models import ActionItem, Meeting
from sinergi.coordination.queries import situation_alerts
from tests import personas


@pytest.mark.django_db
def test_the_demo_meeting_is_written_once_with_its_four_action_items(pemilu, user_of):
    assert demo.seed() == 1
    events = AuditEvent.objects.count()
    assert demo.seed() == 0 and AuditEvent.objects.count() == events  # idempotent
    meeting = Meeting.objects.get()
    assert meeting.election == pemilu and meeting.place == "Mapolres Klungkung" and meeting.kind == Meeting.Kind.AUDIENCE
    assert meeting.starts_at.astimezone(meeting.time_zone).date() == date(2024, 1, 16)
    assert sorted(meeting.agencies.values_list("slug", flat=True)) == ["bawaslu-klungkung", "polres-klungkung"]
    assert "[Teks demo" in meeting.minutes and meeting.decisions.count() == 4
    items = {item.decision.order: item for item in ActionItem.objects.select_related("owner", "decision")}
    assert (items[1].owner.slug, items[1].due_on, items[1].status, items[1].done_on) == ("bawaslu-klungkung", date(2024, 1, 22), "selesai", date(2024, 1, 22))
    assert [(items[n].owner.slug, items[n].due_on, items[n].status) for n in (2, 3, 4)] == [
        ("polres-klungkung", date(2024, 2, 13), "berjalan"),
        ("polres-klungkung", date(2024, 2, 13), "terbuka"),
        ("polres-klungkung", date(2024, 11, 27), "berjalan"),
    ]
    assert items[2].follow_ups.get().agency.slug == "polres-klungkung"  # the owner wrote it


@pytest.mark.django_db
def test_on_voting_day_the_demo_shows_two_overdue_items_to_the_polres(pemilu, user_of):
    demo.seed()
    voting_day = datetime(2024, 2, 14, 1, 0, tzinfo=UTC)  # 09.00 WITA
    alerts = situation_alerts(user_of(personas.POLRES), pemilu, voting_day)
    assert sorted(a.title for a in alerts if a.level == "danger") == [
        "Tindak lanjut terlambat: Pemantauan TPS di Nusa Penida sebelum hari pemungutan suara",
        "Tindak lanjut terlambat: Pengawalan logistik dari gudang KPU ke setiap TPS, Nusa Penida lebih dahulu",
    ]
    meeting = Meeting.objects.get()
    assert all(a.url.startswith(reverse("coordination:detail", args=[pemilu.slug, meeting.pk])) for a in alerts)

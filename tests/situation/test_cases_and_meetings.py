"""Overdue cases and action items reach the situation room (its deadline card, every five
minutes), each for whom may see them; the room's page loads the card."""

from datetime import datetime

import pytest
from django.urls import reverse

from sinergi.cases.models import Case
from sinergi.cases.services import file_public_report
from sinergi.coordination.services import record_meeting
from tests import personas
from tests.cases.test_cases import PED, facts
from tests.coordination.data import meeting_data


@pytest.mark.django_db
def test_an_overdue_case_and_an_overdue_action_item_are_alerts_and_counts(client_of, user_of, pemilu, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime.fromisoformat("2024-02-12T10:00+08:00"))
    case = file_public_report(election=pemilu, source=Case.Source.VOTER, region_code=PED, facts=facts())
    meeting = record_meeting(actor=user_of(personas.BAWASLU), election=pemilu, **meeting_data())
    # On 16 Feb the initial review (due 13 Feb) and the escort (due 13 Feb) are both overdue.
    monkeypatch.setattr(timezone, "now", lambda: datetime.fromisoformat("2024-02-16T09:00+08:00"))
    live = reverse("situation:deadlines", args=[pemilu.slug])  # the deadline card of the room
    bawaslu = client_of(personas.BAWASLU).get(live).content.decode()
    assert f"Terlambat: Kajian awal (syarat formal dan materiel) — {case.tracking_code}" in bawaslu
    assert "Tindak lanjut terlambat" in bawaslu and reverse("coordination:detail", args=[pemilu.slug, meeting.pk]) in bawaslu
    assert "Perkara berjalan" in bawaslu and "Tindak lanjut rapat terbuka" in bawaslu
    polres = client_of(personas.POLRES).get(live).content.decode()
    assert case.tracking_code not in polres  # not brought to Gakkumdu: the police do not see it
    assert "Tindak lanjut terlambat" in polres  # the escort is the Polres's item


@pytest.mark.django_db
def test_the_room_loads_the_deadline_card_and_the_card_refuses_the_field(client_of, pemilu):
    page = client_of(personas.BAWASLU).get(reverse("situation:room", args=[pemilu.slug])).content.decode()
    assert f'hx-get="{reverse("situation:deadlines", args=[pemilu.slug])}?' in page
    assert client_of(personas.PTPS_PED).get(reverse("situation:deadlines", args=[pemilu.slug])).status_code == 403

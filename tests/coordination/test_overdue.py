"""The overdue rule on the local day (WITA), the per-agency grouping and the situation room's alerts."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.coordination import followup
from sinergi.coordination.queries import open_items_by_agency, situation_alerts
from sinergi.coordination.services import record_meeting, update_action_item
from tests import personas
from tests.coordination.data import agency, item_titled, meeting_data


def test_an_item_is_overdue_only_after_its_due_day():
    due = date(2024, 2, 13)
    assert followup.state("terbuka", due, date(2024, 2, 10)) == followup.ON_TIME
    assert followup.state("terbuka", due, date(2024, 2, 11)) == followup.DUE_SOON
    assert followup.state("berjalan", due, date(2024, 2, 13)) == followup.DUE_SOON  # the due day is still in time
    assert followup.state("berjalan", due, date(2024, 2, 14)) == followup.OVERDUE
    assert followup.days_late("berjalan", due, date(2024, 2, 16)) == 3
    assert followup.state("selesai", due, date(2024, 3, 1)) == followup.DONE and followup.days_late("selesai", due, date(2024, 3, 1)) == 0
    assert followup.state("dibatalkan", due, date(2024, 3, 1)) == followup.CANCELLED


@given(st.sampled_from(followup.STATUSES), st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(min_value=-400, max_value=400))
def test_closed_items_are_never_overdue_and_active_ones_exactly_when_late(status, due, offset):
    today = due + timedelta(days=offset)
    state = followup.state(status, due, today)
    assert (state == followup.OVERDUE) == (status in followup.ACTIVE and today > due)
    assert followup.days_late(status, due, today) == (max(0, offset) if status in followup.ACTIVE else 0)


@pytest.mark.django_db
def test_overdue_begins_at_midnight_wita_not_utc(pemilu, meeting, user_of):
    polres = user_of(personas.POLRES)
    # 13 Feb 23.59 WITA: the escort's due day (13 Feb) is still running.
    ptps = ("danger", "Tindak lanjut terlambat: Pelantikan PTPS")  # Bawaslu's, overdue since 23 Jan: the Polres sees it too
    before = situation_alerts(polres, pemilu, datetime(2024, 2, 13, 15, 59, tzinfo=UTC))
    assert sorted((a.level, a.title) for a in before) == [ptps, ("warning", "Tindak lanjut segera jatuh tempo: Pengawalan logistik")]
    # 14 Feb 00.01 WITA (still 13 Feb in UTC): overdue.
    after = situation_alerts(polres, pemilu, datetime(2024, 2, 13, 16, 1, tzinfo=UTC))
    assert sorted((a.level, a.title) for a in after) == [ptps, ("danger", "Tindak lanjut terlambat: Pengawalan logistik")]
    alert = next(a for a in after if "Pengawalan" in a.title)
    assert "Polres Klungkung" in alert.detail and "13-02-2024" in alert.detail and alert.source == "Rapat"
    assert alert.at == datetime(2024, 2, 13, 16, 0, tzinfo=UTC)  # the end of the due day, WITA
    assert alert.url == f"/pemilihan/{pemilu.slug}/rapat/{meeting.pk}/#tindak-lanjut-{item_titled(meeting, 'Pengawalan logistik').pk}"


@pytest.mark.django_db
def test_done_and_cancelled_items_raise_no_alert(pemilu, meeting, user_of, on):
    on(datetime(2024, 2, 10, 1, 0, tzinfo=UTC))
    update_action_item(actor=user_of(personas.POLRES), item=item_titled(meeting, "Pengawalan logistik"), status="selesai")
    update_action_item(actor=user_of(personas.BAWASLU), item=item_titled(meeting, "Pelantikan PTPS"), status="dibatalkan", note="Digabung (uji).")
    assert situation_alerts(user_of(personas.BAWASLU), pemilu, datetime(2024, 3, 1, tzinfo=UTC)) == []


@pytest.mark.django_db
def test_alerts_follow_what_the_user_may_see(pemilu, pilkada, user_of):
    late = {"title": "Pemantauan TPS Nusa Penida", "owner": agency("polsek-nusa-penida"), "due_on": date(2024, 2, 13)}
    record_meeting(
        actor=user_of(personas.BAWASLU), election=pemilu,
        **meeting_data(title="Rapat Nusa Penida (uji)", region_code="51.05.01", agencies=[agency("bawaslu-klungkung"), agency("polsek-nusa-penida")], action_items=[late]),
    )  # fmt: skip
    voting_day = datetime(2024, 2, 14, 4, 0, tzinfo=UTC)
    assert [a.title for a in situation_alerts(user_of(personas.POLSEK_NUSA_PENIDA), pemilu, voting_day)] == ["Tindak lanjut terlambat: Pemantauan TPS Nusa Penida"]
    dawan = user_of(personas.POLSEK_NUSA_PENIDA).__class__.objects.create_user(username="polsek-dawan-uji", agency=agency("polsek-dawan"))
    assert situation_alerts(dawan, pemilu, voting_day) == []  # another kecamatan's meeting
    assert situation_alerts(user_of(personas.PTPS_PED), pemilu, voting_day) == []  # no permission: nothing, no error
    assert situation_alerts(user_of(personas.BAWASLU), pilkada, voting_day) == []  # a Pemilu meeting


@pytest.mark.django_db
def test_open_items_are_grouped_by_owner_with_the_viewers_agency_first(pemilu, meeting, user_of):
    now = datetime(2024, 2, 14, 4, 0, tzinfo=UTC)
    groups = open_items_by_agency(user_of(personas.POLRES), pemilu, now)
    assert [(g.agency.slug, g.mine, g.overdue) for g in groups] == [("polres-klungkung", True, 1), ("bawaslu-klungkung", False, 1)]
    groups = open_items_by_agency(user_of(personas.BAWASLU), pemilu, now)
    assert [g.agency.slug for g in groups] == ["bawaslu-klungkung", "polres-klungkung"]
    assert [(r.item.title, r.state, r.days_late) for r in groups[0].rows] == [("Pelantikan PTPS", "terlambat", 23)]

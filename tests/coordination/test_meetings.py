"""Recording meetings and following up action items: validation naming fields, all or nothing,
audited, and who may write what."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can
from sinergi.audit.models import AuditEvent
from sinergi.coordination.models import ActionItem, Decision, FollowUp, Meeting
from sinergi.coordination.queries import meeting_for, meetings_for
from sinergi.coordination.services import record_meeting, update_action_item, update_meeting
from tests import personas
from tests.coordination.data import KLUNGKUNG, NUSA_PENIDA, WITA, agency, item_titled, meeting_data


@pytest.mark.django_db
def test_a_meeting_is_recorded_with_numbered_decisions_and_items_and_audited(meeting):
    assert meeting.recorded_by.slug == "bawaslu-klungkung" and meeting.created_by.username == personas.BAWASLU
    assert list(meeting.decisions.values_list("order", "text")) == [(1, "Logistik dikawal sampai TPS."), (2, "TPS Nusa Penida dipantau.")]
    escort = item_titled(meeting, "Pengawalan logistik")
    assert escort.decision.order == 1 and escort.status == "terbuka" and escort.done_on is None
    assert item_titled(meeting, "Pelantikan PTPS").decision is None
    actions = list(AuditEvent.objects.filter(object_type__startswith="coordination.").order_by("pk").values_list("action", "region", "election"))
    assert actions == [
        ("meeting.rapat_koordinasi", KLUNGKUNG, "pemilu-2024"),
        ("meeting.decision", KLUNGKUNG, "pemilu-2024"),
        ("meeting.decision", KLUNGKUNG, "pemilu-2024"),
        ("action_item.add", KLUNGKUNG, "pemilu-2024"),
        ("action_item.add", KLUNGKUNG, "pemilu-2024"),
    ]


@pytest.mark.django_db
def test_bad_input_names_every_field_and_writes_nothing(pemilu, user_of):
    events = AuditEvent.objects.count()
    bad = meeting_data(
        kind="arisan",
        title=" ",
        place="",
        starts_at=datetime(2024, 1, 16, 10, 0),  # naive: which zone?
        region_code="51",  # the province: above Bawaslu Klungkung's area
        agencies=[],
        decisions=["x" * 2001],
        action_items=[
            {"title": "", "description": "Tanpa judul", "owner": None, "due_on": None},
            {"title": "Pemantauan", "owner": agency("polres-klungkung"), "due_on": date(2024, 1, 10), "decision": 5},
        ],
    )
    with pytest.raises(ValidationError) as error:
        record_meeting(actor=user_of(personas.BAWASLU), election=pemilu, **bad)
    messages = error.value.message_dict
    assert set(messages) == {
        "kind", "title", "place", "starts_at", "region", "agencies", "decision_1",
        "item_1_title", "item_1_owner", "item_1_due_on", "item_2_decision",
    }  # fmt: skip
    assert "wajib diisi" in messages["title"][0] and "waktu setempat" in messages["starts_at"][0]
    assert "51.05" in messages["region"][0] and "keputusan nomor 5 tidak ada" in messages["item_2_decision"][0]
    assert Meeting.objects.count() == 0 and ActionItem.objects.count() == 0 and AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_an_item_due_before_the_meeting_day_in_wita_is_refused(pemilu, user_of):
    items = [{"title": "Terlalu awal", "owner": agency("polres-klungkung"), "due_on": date(2024, 1, 15)}]
    # 15 Jan 17.00 UTC is already 16 Jan 01.00 WITA: the meeting's day is the 16th.
    data = meeting_data(starts_at=datetime(2024, 1, 15, 17, 0, tzinfo=UTC), action_items=items)
    with pytest.raises(ValidationError) as error:
        record_meeting(actor=user_of(personas.BAWASLU), election=pemilu, **data)
    assert set(error.value.message_dict) == {"item_1_due_on"}
    assert "sebelum hari rapat (16-01-2024)" in error.value.message_dict["item_1_due_on"][0]


@pytest.mark.django_db
def test_who_may_record_a_meeting(pemilu, user_of):
    for username in (personas.BAWASLU, personas.BAWASLU_STAFF, personas.POLRES):
        assert can(user_of(username), Perm.MANAGE_MEETINGS), username
    for username in (personas.KPU, personas.JAKSA, personas.POLSEK_NUSA_PENIDA, personas.PANWASCAM_NUSA_PENIDA, personas.PTPS_PED, personas.NO_AGENCY):
        with pytest.raises(PermissionDenied):
            record_meeting(actor=user_of(username), election=pemilu, **meeting_data())
    assert Meeting.objects.count() == 0


@pytest.mark.django_db
def test_a_district_agency_head_may_record_and_the_kecamatan_level_may_not(pemilu, user_of):
    kpu_head = User.objects.create_user(username="ketua-kpu-uji", agency=agency("kpu-klungkung"), role=User.Role.ADMIN)
    meeting = record_meeting(actor=kpu_head, election=pemilu, **meeting_data(agencies=[agency("kpu-klungkung"), agency("polres-klungkung")]))
    assert meeting.recorded_by.slug == "kpu-klungkung"
    polsek = user_of(personas.POLSEK_NUSA_PENIDA)
    polsek_head = User.objects.create_user(username="polsek-np-uji", agency=polsek.agency, role=User.Role.ADMIN)
    assert not can(polsek_head, Perm.MANAGE_MEETINGS)  # the kecamatan level reads and follows up only


@pytest.mark.django_db
def test_the_owner_agency_updates_its_own_item_and_not_another_agencys(meeting, user_of, on):
    on(datetime(2024, 2, 5, 1, 0, tzinfo=UTC))
    polres = user_of(personas.POLRES)
    escort = item_titled(meeting, "Pengawalan logistik")
    note = update_action_item(actor=polres, item=escort, status="berjalan", note="Rute Nusa Penida disusun.")
    escort.refresh_from_db()
    assert escort.status == "berjalan" and note.agency.slug == "polres-klungkung" and note.status == "berjalan"
    event = AuditEvent.objects.filter(action="action_item.update").get()
    assert event.changes == {"status": ["terbuka", "berjalan"], "catatan": [None, "Rute Nusa Penida disusun."]} and event.actor_username == personas.POLRES
    with pytest.raises(PermissionDenied):
        update_action_item(actor=polres, item=item_titled(meeting, "Pelantikan PTPS"), status="selesai")  # Bawaslu's item
    for outsider in (personas.KPU, personas.POLSEK_NUSA_PENIDA, personas.PTPS_PED):
        with pytest.raises(PermissionDenied):
            update_action_item(actor=user_of(outsider), item=escort, status="selesai")
    escort.refresh_from_db()
    assert escort.status == "berjalan" and FollowUp.objects.count() == 1


@pytest.mark.django_db
def test_the_recording_agency_updates_any_item_and_done_sets_done_on(meeting, user_of, on):
    on(datetime(2024, 2, 13, 17, 30, tzinfo=UTC))  # 14 Feb 01.30 WITA: already the 14th in Bali
    staff = user_of(personas.BAWASLU_STAFF)  # a colleague of the recorder, same agency
    escort = item_titled(meeting, "Pengawalan logistik")
    update_action_item(actor=staff, item=escort, status="selesai")
    escort.refresh_from_db()
    assert escort.done_on == date(2024, 2, 14)
    update_action_item(actor=staff, item=escort, status="berjalan", note="Dibuka kembali: satu TPS belum menerima.")
    escort.refresh_from_db()
    assert escort.status == "berjalan" and escort.done_on is None


@pytest.mark.django_db
def test_an_update_must_say_something_and_a_cancellation_needs_its_reason(meeting, user_of, on):
    on(datetime(2024, 2, 5, 1, 0, tzinfo=UTC))
    polres = user_of(personas.POLRES)
    escort = item_titled(meeting, "Pengawalan logistik")
    with pytest.raises(ValidationError) as error:
        update_action_item(actor=polres, item=escort, status="terbuka")
    assert "Tulis catatan" in error.value.message_dict["note"][0]
    with pytest.raises(ValidationError) as error:
        update_action_item(actor=polres, item=escort, status="dibatalkan")
    assert "alasan pembatalan" in error.value.message_dict["note"][0]
    with pytest.raises(ValidationError) as error:
        update_action_item(actor=polres, item=escort, status="selesai", done_on=date(2024, 2, 20))
    assert "setelah hari ini (05-02-2024)" in error.value.message_dict["done_on"][0]
    with pytest.raises(ValidationError) as error:
        update_action_item(actor=polres, item=escort, status="ditunda")
    assert set(error.value.message_dict) == {"status"}
    escort.refresh_from_db()
    assert escort.status == "terbuka" and not FollowUp.objects.exists() and not AuditEvent.objects.filter(action="action_item.update").exists()


@pytest.mark.django_db
def test_the_database_refuses_done_without_its_day_and_a_day_without_done(meeting):
    escort = item_titled(meeting, "Pengawalan logistik")
    for status, done_on in (("selesai", None), ("berjalan", date(2024, 2, 1)), ("ditunda", None)):
        with pytest.raises(IntegrityError), transaction.atomic():
            ActionItem.objects.filter(pk=escort.pk).update(status=status, done_on=done_on)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(meeting=meeting, order=1, text="Nomor yang sama")


@pytest.mark.django_db
def test_only_the_recording_agency_edits_the_meeting_and_adds_rows(meeting, user_of):
    data = meeting_data(title="Audiensi (diubah)", election=meeting.election)
    data.pop("decisions"), data.pop("action_items")
    with pytest.raises(PermissionDenied):
        update_meeting(actor=user_of(personas.POLRES), meeting=meeting, **data)  # attended, did not record
    update_meeting(
        actor=user_of(personas.BAWASLU), meeting=meeting, **data, new_decisions=["Pengamanan sampai Pilkada selesai."],
        new_action_items=[{"title": "Pengamanan Pilkada", "owner": agency("polres-klungkung"), "due_on": date(2024, 11, 27), "decision": 3}],
    )  # fmt: skip
    meeting.refresh_from_db()
    assert meeting.title == "Audiensi (diubah)" and meeting.decisions.count() == 3
    assert item_titled(meeting, "Pengamanan Pilkada").decision.order == 3
    edit = AuditEvent.objects.get(action="meeting.edit")
    assert edit.changes == {"judul": ["Rapat koordinasi pengamanan (uji)", "Audiensi (diubah)"]}


@pytest.mark.django_db
def test_moving_the_meeting_after_an_items_due_day_is_refused(meeting, user_of):
    data = meeting_data(starts_at=datetime(2024, 1, 25, 10, 0, tzinfo=WITA), election=meeting.election)
    data.pop("decisions"), data.pop("action_items")
    with pytest.raises(ValidationError) as error:
        update_meeting(actor=user_of(personas.BAWASLU), meeting=meeting, **data)
    assert "Pelantikan PTPS" in error.value.message_dict["starts_at"][0]


@pytest.mark.django_db
def test_who_sees_a_meeting(pemilu, meeting, user_of):
    nusa_penida = record_meeting(
        actor=user_of(personas.BAWASLU), election=pemilu,
        **meeting_data(title="Rapat Nusa Penida (uji)", region_code=NUSA_PENIDA, agencies=[agency("bawaslu-klungkung"), agency("polsek-nusa-penida")], action_items=()),
    )  # fmt: skip
    both = {meeting.pk, nusa_penida.pk}
    for username in (personas.BAWASLU, personas.POLRES, personas.KPU, personas.JAKSA, personas.POLSEK_NUSA_PENIDA, personas.PANWASCAM_NUSA_PENIDA):
        assert set(meetings_for(user_of(username), pemilu).values_list("pk", flat=True)) == both, username
    dawan = User.objects.create_user(username="polsek-dawan-uji", agency=agency("polsek-dawan"), role=User.Role.STAFF)
    assert list(meetings_for(dawan, pemilu).values_list("pk", flat=True)) == [meeting.pk]  # the district's, not Nusa Penida's
    with pytest.raises(Exception) as refused:
        meeting_for(dawan, pemilu, nusa_penida.pk)
    assert refused.type.__name__ == "Http404"
    for username in (personas.PTPS_PED, personas.NO_AGENCY):
        with pytest.raises(PermissionDenied):
            meetings_for(user_of(username), pemilu)


@pytest.mark.django_db
def test_an_agency_that_attended_sees_the_meeting_outside_its_area(pemilu, meeting, user_of):
    dawan_agency = agency("polsek-dawan")
    dawan = User.objects.create_user(username="polsek-dawan-uji", agency=dawan_agency, role=User.Role.STAFF)
    nusa_penida = record_meeting(
        actor=user_of(personas.BAWASLU), election=pemilu,
        **meeting_data(title="Rapat Nusa Penida (uji)", region_code=NUSA_PENIDA, agencies=[agency("bawaslu-klungkung"), dawan_agency], action_items=()),
    )  # fmt: skip
    assert meeting_for(dawan, pemilu, nusa_penida.pk) == nusa_penida


@pytest.mark.django_db
def test_a_general_meeting_shows_under_every_election_and_an_elections_only_under_it(pemilu, pilkada, meeting, user_of):
    general = record_meeting(actor=user_of(personas.BAWASLU), election=None, **meeting_data(title="Rapat umum (uji)"))
    bawaslu = user_of(personas.BAWASLU)
    assert set(meetings_for(bawaslu, pemilu).values_list("pk", flat=True)) == {meeting.pk, general.pk}
    assert list(meetings_for(bawaslu, pilkada).values_list("pk", flat=True)) == [general.pk]

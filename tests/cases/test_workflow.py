"""The workflow: each step by the right agency, deadlines kept with each step, registration
numbers, Sentra Gakkumdu's deliberations for its members only, the public's steps, reminders."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from sinergi.audit.models import AuditEvent
from sinergi.cases import queries, workflow
from sinergi.cases.models import Case, Reminder
from sinergi.cases.reminders import send_reminders
from sinergi.cases.services import file_public_report, running_deadline, take_step
from tests import personas
from tests.cases.test_cases import PED, facts

SEMARAPURA_KAJA = "51.05.03.1008"  # a kelurahan in Klungkung town, outside Nusa Penida



def wita(*args) -> datetime:
    return datetime(*args, tzinfo=UTC) - timedelta(hours=8)


@pytest.fixture
def report(pemilu, on):
    on(wita(2024, 2, 12, 10, 0))  # Mon 12 Feb 2024, 10.00 WITA
    return file_public_report(election=pemilu, source=Case.Source.VOTER, region_code=PED, facts=facts())


# --- Pure rules ------------------------------------------------------------------------------


def test_reminders_fall_at_half_time_a_day_before_and_at_the_end():
    start, end = datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 3, 11, tzinfo=UTC)
    assert workflow.reminder_moments(start, end) == [
        (workflow.HALF, datetime(2024, 3, 6, tzinfo=UTC)),
        (workflow.DAY_BEFORE, datetime(2024, 3, 10, tzinfo=UTC)),
        (workflow.OVERDUE, end),
    ]
    assert workflow.due_reminder(start, end, datetime(2024, 3, 5, 23, tzinfo=UTC)) == (None, [])
    assert workflow.due_reminder(start, end, datetime(2024, 3, 10, 1, tzinfo=UTC)) == (workflow.DAY_BEFORE, [workflow.HALF])
    # A 24-hour limit: "a day before" would come before half time, so there is none.
    short = workflow.reminder_moments(start, start + timedelta(hours=24))
    assert [kind for kind, _at in short] == [workflow.HALF, workflow.OVERDUE]


def test_the_running_rule_follows_the_status_and_the_election_kind():
    from sinergi.cases.deadlines import PEMILU_RULES, PILKADA_RULES

    assert workflow.pending_rule(workflow.RECEIVED, PEMILU_RULES).code == "kajian_awal"
    assert workflow.pending_rule(workflow.RECEIVED, PILKADA_RULES).code == "putusan"  # 3 days from receipt
    assert workflow.pending_rule(workflow.EXAMINATION, PEMILU_RULES, extended=True).code == "putusan_diperpanjang"
    assert workflow.pending_rule(workflow.GAKKUMDU, PEMILU_RULES).code == "penerusan"
    assert workflow.pending_rule(workflow.INVESTIGATION, PILKADA_RULES) is None  # not in the Pilkada set
    assert workflow.pending_rule(workflow.CLOSED, PEMILU_RULES) is None
    assert workflow.target_of(workflow.ACTIONS["putus"], workflow.CRIME) == workflow.GAKKUMDU
    assert workflow.target_of(workflow.ACTIONS["putus"], workflow.ADMINISTRATIVE) == workflow.DECIDED


# --- The whole road of an election crime -----------------------------------------------------


@pytest.mark.django_db
def test_an_election_crime_goes_through_gakkumdu_police_prosecutor_and_court(report, user_of, on):
    bawaslu, polres, jaksa = user_of(personas.BAWASLU), user_of(personas.POLRES), user_of(personas.JAKSA)
    # Initial review, "setelah laporan diterima": day one Tue 13 Feb; 14 Feb is voting day; Thu 15.
    assert running_deadline(report).rule.code == "kajian_awal" and running_deadline(report).due == date(2024, 2, 15)

    on(wita(2024, 2, 13, 9, 0))
    step = take_step(actor=bawaslu, case=report, action="registrasi", checklist={code: True for code, _ in workflow.CHECKLIST})
    report.refresh_from_db()
    assert report.status == Case.Status.REGISTERED and not step.late
    assert report.registration_number == "001/Reg/LP/PL/Kab/51.05/II/2024"
    # The decision: 7 working days "setelah … diregistrasi" (Tue 13 Feb), skipping voting day (14 Feb)
    # and the weekend: 15, 16, 19, 20, 21, 22, 23 Feb.
    assert running_deadline(report).due == date(2024, 2, 23)

    on(wita(2024, 2, 15, 9, 0))
    take_step(actor=bawaslu, case=report, action="pemeriksaan")
    on(wita(2024, 2, 20, 14, 0))
    take_step(actor=bawaslu, case=report, action="putus", outcome=workflow.CRIME, note="Memenuhi unsur Pasal 523 ayat (2).")
    report.refresh_from_db()
    assert report.status == Case.Status.GAKKUMDU and report.outcome == Case.Outcome.CRIME
    forward = running_deadline(report)
    assert forward.rule.code == "penerusan" and forward.due.isoformat() == "2024-02-21T14:00:00+08:00"  # 1×24 hours from the decision

    on(wita(2024, 2, 20, 16, 0))
    take_step(actor=jaksa, case=report, action="pembahasan", note="Pembahasan kedua: unsur terpenuhi, lanjut ke penyidikan.")
    on(wita(2024, 2, 21, 9, 0))
    take_step(actor=bawaslu, case=report, action="teruskan")
    on(wita(2024, 3, 1, 9, 0))
    take_step(actor=polres, case=report, action="serahkan_berkas")
    on(wita(2024, 3, 2, 9, 0))
    take_step(actor=jaksa, case=report, action="kembalikan_berkas", note="Keterangan saksi kedua belum ada (P-19).")
    on(wita(2024, 3, 4, 9, 0))
    take_step(actor=polres, case=report, action="serahkan_kembali")
    on(wita(2024, 3, 5, 9, 0))
    take_step(actor=jaksa, case=report, action="berkas_lengkap")
    on(wita(2024, 3, 8, 9, 0))
    take_step(actor=jaksa, case=report, action="limpahkan")
    on(wita(2024, 3, 14, 9, 0))
    take_step(actor=jaksa, case=report, action="putusan_pn", note="Terdakwa terbukti; pidana penjara 1 tahun (contoh).")
    on(wita(2024, 3, 18, 9, 0))
    last = take_step(actor=jaksa, case=report, action="berkekuatan_tetap")
    report.refresh_from_db()
    assert report.status == Case.Status.CLOSED and running_deadline(report) is None and not last.late
    assert AuditEvent.objects.filter(object_id=str(report.pk), action__startswith="case.").count() == 1 + 12  # the report and its twelve steps

    # Gakkumdu's deliberation: its members read it; Panwascam (Bawaslu's kecamatan level) does not.
    panwascam = user_of(personas.PANWASCAM_NUSA_PENIDA)
    assert any(s.deliberation for s in queries.steps_for(polres, report))
    assert not any(s.deliberation for s in queries.steps_for(panwascam, report))
    # The reporter's page: public steps only (no deliberation, no returned file).
    public = [s.action for s in queries.public_steps(report)]
    assert public == ["registrasi", "pemeriksaan", "putus", "teruskan", "serahkan_berkas", "limpahkan", "putusan_pn", "berkekuatan_tetap"]


@pytest.mark.django_db
def test_a_step_that_misses_its_deadline_is_kept_as_late_with_the_computation(report, user_of, on):
    on(wita(2024, 2, 16, 9, 0))  # initial review ended Thu 15 Feb
    step = take_step(actor=user_of(personas.BAWASLU), case=report, action="registrasi", checklist={code: True for code, _ in workflow.CHECKLIST})
    assert step.late and "Kajian awal" in step.deadline and "Kamis, 15 Februari 2024" in step.deadline


# --- Who may take which step -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_police_cannot_register_a_report_nor_the_prosecutor_investigate(report, user_of):
    with pytest.raises(PermissionDenied):
        take_step(actor=user_of(personas.POLRES), case=report, action="registrasi", checklist={})
    with pytest.raises(PermissionDenied):
        take_step(actor=user_of(personas.KPU), case=report, action="registrasi", checklist={})
    report.status = Case.Status.INVESTIGATION
    with pytest.raises(PermissionDenied):
        take_step(actor=user_of(personas.JAKSA), case=report, action="serahkan_berkas")
    report.refresh_from_db()
    assert report.status == Case.Status.RECEIVED and not report.steps.exists()


@pytest.mark.django_db
def test_only_gakkumdu_members_deliberate(report, user_of, on):
    report.status, report.outcome, report.registration_number = Case.Status.GAKKUMDU, Case.Outcome.CRIME, "009/Reg/LP/PL/Kab/51.05/II/2024"
    report.save()
    with pytest.raises(PermissionDenied):
        take_step(actor=user_of(personas.PANWASCAM_NUSA_PENIDA), case=report, action="pembahasan", note="x")
    take_step(actor=user_of(personas.POLRES), case=report, action="pembahasan", note="Pembahasan pertama.")
    assert report.steps.get().deliberation


@pytest.mark.django_db
def test_a_step_from_the_wrong_status_or_without_its_note_is_refused_naming_the_fix(report, user_of):
    bawaslu = user_of(personas.BAWASLU)
    with pytest.raises(ValidationError) as error:
        take_step(actor=bawaslu, case=report, action="pemeriksaan")
    assert "tidak bisa diambil saat status 'Diterima'" in str(error.value)
    with pytest.raises(ValidationError) as error:
        take_step(actor=bawaslu, case=report, action="tidak_diregistrasi")
    assert error.value.message_dict.keys() == {"note"}
    with pytest.raises(ValidationError) as error:
        take_step(actor=bawaslu, case=report, action="registrasi", checklist={code: True for code, _ in workflow.CHECKLIST})
        take_step(actor=bawaslu, case=report, action="putus", outcome="entah", note="Kajian selesai.")
    assert error.value.message_dict.keys() == {"outcome"}


@pytest.mark.django_db
def test_police_and_prosecutor_see_only_cases_that_reached_gakkumdu(report, user_of, pemilu):
    polres, jaksa, kpu = user_of(personas.POLRES), user_of(personas.JAKSA), user_of(personas.KPU)
    assert not queries.cases_for(polres, pemilu).exists() and not queries.cases_for(jaksa, pemilu).exists()
    with pytest.raises(Http404):
        queries.case_for(polres, pemilu, report.pk)
    with pytest.raises(PermissionDenied):
        queries.cases_for(kpu, pemilu)
    Case.objects.filter(pk=report.pk).update(status=Case.Status.GAKKUMDU, outcome=Case.Outcome.CRIME, registration_number="010/Reg/LP/PL/Kab/51.05/II/2024")
    assert list(queries.cases_for(polres, pemilu)) == [report] == list(queries.cases_for(jaksa, pemilu))


@pytest.mark.django_db
def test_a_panwascam_sees_only_cases_of_its_kecamatan(pemilu, user_of, on):
    on(wita(2024, 2, 12, 10, 0))
    elsewhere = file_public_report(election=pemilu, source=Case.Source.VOTER, region_code=SEMARAPURA_KAJA, facts=facts(occurred_place="Semarapura"))
    panwascam = user_of(personas.PANWASCAM_NUSA_PENIDA)
    with pytest.raises(Http404):
        queries.case_for(panwascam, pemilu, elsewhere.pk)
    with pytest.raises(PermissionDenied):
        take_step(actor=user_of(personas.PANWASCAM_NUSA_PENIDA), case=elsewhere, action="registrasi", checklist={})


# --- Intake ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_registration_needs_every_requirement_and_a_report_in_time(pemilu, user_of, on):
    bawaslu = user_of(personas.BAWASLU)
    on(wita(2024, 2, 12, 10, 0))
    incomplete = file_public_report(election=pemilu, source=Case.Source.VOTER, region_code=PED, facts=facts(reported_party="", witnesses=[]))
    assert incomplete.checklist["terlapor"] is False and incomplete.checklist["bukti"] is False
    with pytest.raises(ValidationError) as error:
        take_step(actor=bawaslu, case=incomplete, action="registrasi")
    assert "Pihak terlapor disebutkan" in str(error.value) and "Bukti" in str(error.value)
    # Asked to complete it: the window is CASE_COMPLETION_DAYS (2) working days from the notice.
    take_step(actor=bawaslu, case=incomplete, action="minta_lengkapi", note="Lengkapi identitas terlapor dan bukti.")
    incomplete.refresh_from_db()
    window = running_deadline(incomplete)
    assert incomplete.status == Case.Status.INCOMPLETE and window.rule.code == "kelengkapan" and window.due == date(2024, 2, 13)
    take_step(actor=bawaslu, case=incomplete, action="dilengkapi", note="Pelapor menyerahkan foto dan nama terlapor.")
    take_step(actor=bawaslu, case=incomplete, action="registrasi", checklist={code: True for code, _ in workflow.CHECKLIST})
    incomplete.refresh_from_db()
    assert incomplete.status == Case.Status.REGISTERED

    on(wita(2024, 2, 22, 9, 0))  # a day after the last day to report (21 Feb)
    late = file_public_report(election=pemilu, source=Case.Source.VOTER, region_code=PED, facts=facts())
    with pytest.raises(ValidationError) as error:
        take_step(actor=bawaslu, case=late, action="registrasi", checklist={code: True for code, _ in workflow.CHECKLIST})
    assert "melewati batas waktu" in str(error.value) and "Rabu, 21 Februari 2024" in str(error.value)
    take_step(actor=bawaslu, case=late, action="tidak_diregistrasi", note="Melewati batas waktu 7 hari kerja.")
    late.refresh_from_db()
    assert late.status == Case.Status.NOT_REGISTERED and late.registration_number is None


@pytest.mark.django_db
def test_registration_numbers_run_per_district_kind_and_year(pemilu, user_of, on):
    bawaslu = user_of(personas.BAWASLU)
    on(wita(2024, 2, 12, 10, 0))
    numbers = []
    for _ in range(3):
        case = file_public_report(election=pemilu, source=Case.Source.VOTER, region_code=PED, facts=facts())
        take_step(actor=bawaslu, case=case, action="registrasi", checklist={code: True for code, _ in workflow.CHECKLIST})
        case.refresh_from_db()
        numbers.append(case.registration_number)
    assert [n.split("/")[0] for n in numbers] == ["001", "002", "003"]
    assert all(re.fullmatch(r"\d{3}/Reg/LP/PL/Kab/51\.05/II/2024", n) for n in numbers)


# --- Reminders -------------------------------------------------------------------------------


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """`send_reminders(now)`, its e-mails sent as after a commit (they wait for one)."""

    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return send_reminders(now)

    return run


@pytest.mark.django_db
def test_reminders_fire_at_half_time_a_day_before_and_when_overdue_once_each(report, user_of, on, send):
    bawaslu = user_of(personas.BAWASLU)
    bawaslu.email = "hukum@bawaslu-klungkung.example"
    bawaslu.save()
    on(wita(2024, 2, 13, 9, 0))
    take_step(actor=bawaslu, case=report, action="registrasi", checklist={code: True for code, _ in workflow.CHECKLIST})
    # The decision, 7 working days "setelah … diregistrasi": day one Thu 15 Feb (14 is voting day),
    # the last Fri 23 Feb; from 13 Feb 09.00 to 24 Feb 00.00 WITA, half time 18 Feb 16.30.
    mail.outbox.clear()
    assert send(wita(2024, 2, 18, 16, 0)) == []  # before half time
    half = send(wita(2024, 2, 18, 17, 0))
    assert [r.kind for r in half] == [workflow.HALF]
    assert send(wita(2024, 2, 19, 12, 0)) == []  # sent once
    assert [r.kind for r in send(wita(2024, 2, 23, 0, 5))] == [workflow.DAY_BEFORE]
    assert [r.kind for r in send(wita(2024, 2, 24, 0, 1))] == [workflow.OVERDUE]
    assert len(mail.outbox) == 3 and mail.outbox[-1].to == ["hukum@bawaslu-klungkung.example"]
    assert "Batas waktu terlewati" in mail.outbox[-1].subject and "Rabu" not in mail.outbox[-1].subject
    assert "Jumat, 23 Februari 2024" in mail.outbox[-1].body
    assert Reminder.objects.filter(case=report).count() == 3


@pytest.mark.django_db
def test_a_late_run_sends_only_the_latest_reminder_and_a_new_status_starts_afresh(report, user_of, on, send):
    polres = user_of(personas.POLRES)
    polres.email = "reskrim@polres-klungkung.example"
    polres.save()
    on(wita(2024, 2, 12, 10, 0))
    sent = send(wita(2024, 2, 16, 9, 0))  # the initial review ended on Thu 15 Feb: overdue
    assert [r.kind for r in sent] == [workflow.OVERDUE]
    assert Reminder.objects.filter(case=report, superseded=True).count() == 2  # half time and a day before, not sent
    Case.objects.filter(pk=report.pk).update(
        status=Case.Status.INVESTIGATION, outcome=Case.Outcome.CRIME, registration_number="011/Reg/LP/PL/Kab/51.05/II/2024", status_since=wita(2024, 3, 1, 9, 0)
    )
    report.refresh_from_db()
    mail.outbox.clear()
    assert running_deadline(report) is None  # no police receipt recorded: no investigation count
    # With the police receipt as a step, the investigation's 14 days run and the police are reminded.
    take_step_at = wita(2024, 3, 1, 9, 0)
    on(take_step_at)
    report.steps.create(
        action="teruskan", from_status="pembahasan_gakkumdu", to_status="penyidikan", at=take_step_at, actor=user_of(personas.BAWASLU),
        agency=user_of(personas.BAWASLU).agency, event="diterima_penyidik", public=True,
    )  # fmt: skip
    assert running_deadline(report).due == date(2024, 3, 14)
    assert [r.kind for r in send(wita(2024, 3, 8, 12, 0))] == [workflow.HALF]
    assert mail.outbox[-1].to == ["reskrim@polres-klungkung.example"]


@pytest.mark.django_db
def test_the_police_see_a_case_once_bawaslu_brings_it_to_gakkumdu(report, user_of, pemilu):
    bawaslu, polres = user_of(personas.BAWASLU), user_of(personas.POLRES)
    take_step(actor=bawaslu, case=report, action="registrasi", checklist={code: True for code, _ in workflow.CHECKLIST})
    assert not queries.cases_for(polres, pemilu).exists()
    take_step(actor=bawaslu, case=report, action="pembahasan", note="Pembahasan pertama: dugaan Pasal 523.")
    assert list(queries.cases_for(polres, pemilu)) == [report]


@pytest.mark.django_db
def test_overdue_and_nearly_due_cases_are_alerts_for_who_may_see_them(report, user_of, pemilu):
    bawaslu, kpu = user_of(personas.BAWASLU), user_of(personas.KPU)
    # The initial review is due by the end of Thu 15 Feb (WITA).
    assert queries.situation_alerts(bawaslu, pemilu, wita(2024, 2, 12, 12, 0)) == []
    soon = queries.situation_alerts(bawaslu, pemilu, wita(2024, 2, 15, 8, 0))
    assert [(a.level, a.source) for a in soon] == [("warning", "Perkara")] and report.tracking_code in soon[0].title
    late = queries.situation_alerts(bawaslu, pemilu, wita(2024, 2, 16, 0, 1))
    assert [a.level for a in late] == ["danger"] and late[0].url.endswith(f"/perkara/{report.pk}/")
    assert queries.situation_alerts(kpu, pemilu, wita(2024, 2, 16, 0, 1)) == []


@pytest.mark.django_db
def test_a_regional_day_off_moves_the_running_deadline_with_or_without_prefetching(report, pemilu):
    from sinergi.cases.models import DayOff
    from sinergi.cases.services import all_days_off

    DayOff.objects.create(day=date(2024, 2, 13), region_id="51.05", reason="Keputusan Bupati (contoh)")
    DayOff.objects.create(day=date(2024, 2, 15), region_id="51.05.03", reason="Hari libur kecamatan lain (contoh)")
    # Received Mon 12, counted from the next day: 13 off (Klungkung), 14 voting day; 15, off only in
    # another kecamatan, is day one here, and Fri 16 day two (19 Feb had the 15th been off here).
    assert running_deadline(report).due == date(2024, 2, 16)
    assert running_deadline(report, None, all_days_off()).due == date(2024, 2, 16)


@pytest.mark.django_db
def test_a_step_is_taken_in_an_agencys_name_never_by_an_account_without_one(report, django_user_model):
    admin = django_user_model.objects.create_superuser(username="root-tanpa-lembaga", password="x")
    with pytest.raises(PermissionDenied):
        take_step(actor=admin, case=report, action="registrasi", checklist={code: True for code, _ in workflow.CHECKLIST})
    assert not report.steps.exists()

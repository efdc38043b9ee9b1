"""Findings and public reports: intake with named errors, tracking codes, deadlines, lateness."""

import re
from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case
from sinergi.cases.services import deadlines_of, file_public_report, filing_deadline, finding_from_incident, record_finding
from sinergi.supervisors.models import Incident
from tests import personas

PED = "51.05.01.2010"


def facts(**changes):
    return {
        "reporter_name": "Made Contoh",
        "reporter_address": "Desa Ped, Nusa Penida",
        "reported_party": "Oknum (contoh)",
        "occurred_on": date(2024, 2, 8),
        "occurred_place": "Banjar Contoh, Desa Ped",
        "known_on": date(2024, 2, 9),
        "description": "Pembagian uang kepada pemilih pada masa tenang (contoh).",
        "witnesses": [{"nama": "Saksi Satu", "alamat": "Desa Ped"}],
        **changes,
    }



@pytest.mark.django_db
def test_a_public_report_gets_a_tracking_code_and_its_deadlines(pemilu, on):
    on(datetime(2024, 2, 12, 2, 0, tzinfo=UTC))  # Mon 12 Feb 2024, 10.00 WITA
    case = file_public_report(election=pemilu, source=Case.Source.VOTER, region_code=PED, facts=facts())
    assert re.fullmatch(r"LP-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", case.tracking_code)
    assert case.status == Case.Status.RECEIVED and case.kind == Case.Kind.REPORT and case.created_by is None
    assert AuditEvent.objects.filter(action="case.laporan", object_repr=case.tracking_code).count() == 1
    due = {d.rule.code: d.due for d in deadlines_of(case)}
    # Initial review, "setelah laporan diterima": day one is Tue 13; 14 Feb is voting day, so Thu 15.
    assert due == {"laporan": date(2024, 2, 21), "kajian_awal": date(2024, 2, 15)}
    deadline, late = filing_deadline(case)
    assert not late and "hari terakhir Rabu, 21 Februari 2024" in deadline.computation()


@pytest.mark.django_db
def test_a_report_filed_after_seven_working_days_is_marked_late_with_the_computation(pemilu, on):
    on(datetime(2024, 2, 22, 1, 0, tzinfo=UTC))  # Thu 22 Feb 2024, 09.00 WITA: a day too late
    case = file_public_report(election=pemilu, source=Case.Source.MONITOR, region_code=PED, facts=facts())
    deadline, late = filing_deadline(case)
    assert late and deadline.due == date(2024, 2, 21)
    assert "14-02 (Hari Pemilihan Umum)" in deadline.computation() and deadline.rule.basis.startswith("UU 7/2017")
    on(datetime(2024, 2, 21, 15, 59, tzinfo=UTC))  # Wed 21 Feb, 23.59 WITA: still in time
    in_time = file_public_report(election=pemilu, source=Case.Source.MONITOR, region_code=PED, facts=facts())
    assert filing_deadline(in_time)[1] is False


@pytest.mark.django_db
def test_a_pilkada_report_counts_calendar_days(pilkada, on):
    on(datetime(2024, 11, 29, 2, 0, tzinfo=UTC))
    case = file_public_report(election=pilkada, source=Case.Source.PARTICIPANT, region_code=PED, facts=facts(occurred_on=date(2024, 11, 27), known_on=date(2024, 11, 27)))
    assert {d.rule.code: d.due for d in deadlines_of(case)} == {
        "laporan": date(2024, 12, 3),
        "putusan": date(2024, 12, 2),  # "setelah laporan diterima": 30 Nov, 1 and 2 Dec
        "putusan_diperpanjang": date(2024, 12, 4),
    }


@pytest.mark.django_db
def test_bad_input_names_each_field_and_stores_nothing(pemilu, on):
    on(datetime(2024, 2, 12, 2, 0, tzinfo=UTC))
    bad = facts(reporter_name=" ", known_on=date(2024, 2, 7), occurred_on=date(2024, 2, 13), witnesses=[{"alamat": "tanpa nama"}], reporter_email="bukan-surel")
    with pytest.raises(ValidationError) as raised:
        file_public_report(election=pemilu, source=Case.Source.VOTER, region_code="51.99.99.9999", facts=bad)
    errors = raised.value.message_dict
    assert errors["reporter_name"] == ["Nama pelapor wajib diisi."]
    assert errors["region"] == ["Wilayah 51.99.99.9999 tidak ada: pilih desa/kelurahan tempat kejadian."]
    assert errors["occurred_on"] == ["Tanggal kejadian tidak boleh setelah hari laporan diterima (12-02-2024)."]
    assert errors["known_on"] == ["Tanggal diketahui tidak boleh sebelum tanggal kejadian."]
    assert set(errors) == {"reporter_name", "region", "occurred_on", "known_on", "witnesses", "reporter_email"}
    with pytest.raises(ValidationError, match="Pilih pelapor"):
        file_public_report(election=pemilu, source=Case.Source.SUPERVISOR, region_code=PED, facts=facts())
    assert not Case.objects.exists() and not AuditEvent.objects.filter(action__startswith="case.").exists()


@pytest.mark.django_db
def test_a_finding_made_from_a_voting_day_incident(pemilu, user_of):
    incident = Incident.objects.filter(election=pemilu, station__village_id=PED).select_related("station__village", "election").first()
    case = finding_from_incident(actor=user_of(personas.BAWASLU), incident=incident)
    assert case.kind == Case.Kind.FINDING and case.source == Case.Source.SUPERVISOR and case.incident == incident
    assert case.region_id == PED and case.occurred_place == str(incident.station) and incident.description in case.description
    assert case.occurred_on == timezone.localtime(incident.occurred_at).date() == case.known_on
    assert [d.rule.code for d in deadlines_of(case)] == ["temuan", "kajian_awal"]


@pytest.mark.django_db
def test_who_may_record_a_finding_and_where(pemilu, user_of):
    with pytest.raises(PermissionDenied):
        record_finding(actor=user_of(personas.POLRES), election=pemilu, region_code=PED, facts=facts())
    panwascam = user_of(personas.PANWASCAM_NUSA_PENIDA)
    assert record_finding(actor=panwascam, election=pemilu, region_code=PED, facts=facts()).reporter_name
    with pytest.raises(PermissionDenied, match="wilayah Anda"):
        record_finding(actor=panwascam, election=pemilu, region_code="51.05.03", facts=facts())

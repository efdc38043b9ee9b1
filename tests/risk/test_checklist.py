"""Filling checklists: who, where, when; the Excel upload is all or nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergi.audit.models import AuditEvent
from sinergi.core.tabular import InputRejected, read_table
from sinergi.risk.models import ChecklistAnswer
from sinergi.risk.services import import_checklists, submit_checklist
from sinergi.stations.models import Station
from tests import personas

OPEN_DAY = date(2024, 2, 5)  # inside Pemilu 2024's collection stage, 3–8 Feb 2024
CLOSED_DAY = date(2024, 2, 12)


def answer(station, code):
    return ChecklistAnswer.objects.filter(station=station, indicator__code=code).first()


@pytest.fixture
def ped1(pemilu):
    return Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=1)


@pytest.mark.django_db
def test_the_village_supervisor_fills_their_own_village_while_collection_is_open(user_of, ped1, pemilu):
    ptps = user_of(personas.PTPS_PED)
    submit_checklist(actor=ptps, station=ped1, answers={"6.1": (True, "Posko di depan balai banjar")}, today=OPEN_DAY)
    saved = answer(ped1, "6.1")
    assert (saved.present, saved.note, saved.filled_by) == (True, "Posko di depan balai banjar", ptps)
    event = AuditEvent.objects.filter(action="checklist.save", object_id=str(ped1.pk)).latest("id")
    assert event.changes["6.1"] == [None, True] and event.actor_username == personas.PTPS_PED
    other_village = Station.objects.get(election=pemilu, village_id="51.05.01.2001", number=1)
    with pytest.raises(PermissionDenied, match="di luar wilayah Anda"):
        submit_checklist(actor=ptps, station=other_village, answers={"6.1": (True, "")}, today=OPEN_DAY)


@pytest.mark.django_db
def test_after_the_stage_closes_only_bawaslu_amends_and_must_say_why(user_of, ped1):
    with pytest.raises(PermissionDenied, match="tidak sedang berlangsung"):
        submit_checklist(actor=user_of(personas.PTPS_PED), station=ped1, answers={"6.1": (True, "")}, today=CLOSED_DAY)
    with pytest.raises(ValidationError, match="isi alasan"):
        submit_checklist(actor=user_of(personas.BAWASLU_STAFF), station=ped1, answers={"6.1": (True, "")}, today=CLOSED_DAY)
    submit_checklist(actor=user_of(personas.BAWASLU_STAFF), station=ped1, answers={"6.1": (True, "")}, reason="Temuan patroli 12 Feb", today=CLOSED_DAY)
    assert answer(ped1, "6.1").present
    event = AuditEvent.objects.filter(action="checklist.save", object_id=str(ped1.pk)).latest("id")
    assert event.changes["alasan"] == [None, "Temuan patroli 12 Feb"]


@pytest.mark.django_db
def test_police_and_kpu_do_not_fill_checklists(user_of, ped1):
    for username in (personas.POLRES, personas.POLSEK_NUSA_PENIDA, personas.KPU, personas.PANWASCAM_NUSA_PENIDA):
        with pytest.raises(PermissionDenied):
            submit_checklist(actor=user_of(username), station=ped1, answers={"6.1": (True, "")}, today=OPEN_DAY)


@pytest.mark.django_db
def test_an_unknown_indicator_code_is_refused(user_of, ped1):
    with pytest.raises(ValidationError, match="Kode indikator tidak dikenal untuk Pemilu 2024: 9.9"):
        submit_checklist(actor=user_of(personas.BAWASLU_STAFF), station=ped1, answers={"9.9": (True, "")}, reason="x")


def upload(text: str):
    return read_table("rawan.csv", text.encode())


@pytest.mark.django_db
def test_the_excel_upload_names_every_bad_row_and_writes_nothing(user_of, pemilu, ped1):
    before = ChecklistAnswer.objects.count()
    table = upload(
        "kode_desa,nomor_tps,6.1,7.1\n"
        "51.05.01.2010,1,ya,tidak\n"
        "51.05.01.2010,999,ya,tidak\n"
        "51.05.01.2010,2,mungkin,tidak\n"
        "51.05.01.2010,1,ya,ya\n"
        "51.05.03.1001,1,ya,tidak\n"
    )
    with pytest.raises(InputRejected) as rejected:
        import_checklists(actor=user_of(personas.PTPS_PED), election=pemilu, table=table, today=OPEN_DAY)
    messages = [str(e) for e in rejected.value.errors]
    assert messages[0].startswith("Baris 3, kolom 'nomor_tps': TPS 999 desa 51.05.01.2010 tidak ada")
    assert messages[1] == "Baris 4, kolom '6.1': Nilai 'mungkin' tidak dikenal. Isi 'ya' atau 'tidak'."
    assert messages[2].startswith("Baris 5, kolom 'nomor_tps': TPS 1 desa 51.05.01.2010 muncul dua kali (juga di baris 2)")
    assert messages[3].startswith("Baris 6, kolom 'nomor_tps': TPS 1 desa 51.05.03.1001 tidak ada")  # outside Ped: not theirs
    assert ChecklistAnswer.objects.count() == before


@pytest.mark.django_db
def test_an_unknown_indicator_column_is_named(user_of, pemilu):
    with pytest.raises(InputRejected, match="Baris 1, kolom '9.9': Kolom '9.9' bukan kode indikator Pemilu 2024"):
        import_checklists(actor=user_of(personas.BAWASLU), election=pemilu, table=upload("kode_desa,nomor_tps,9.9\n51.05.01.2010,1,ya\n"), today=OPEN_DAY)


@pytest.mark.django_db
def test_a_valid_upload_writes_and_a_repeat_changes_nothing(user_of, pemilu, ped1):
    table = upload("kode_desa,nomor_tps,6.1,6.5\n51.05.01.2010,1,ya,ya\n")
    ptps = user_of(personas.PTPS_PED)
    assert import_checklists(actor=ptps, election=pemilu, table=table, today=OPEN_DAY) >= 1
    assert answer(ped1, "6.5").present
    assert import_checklists(actor=ptps, election=pemilu, table=table, today=OPEN_DAY) == 0


@pytest.mark.django_db
def test_catalogues_have_the_documented_sizes(pemilu, pilkada):
    assert pemilu.risk_indicators.count() == 22 and pemilu.risk_variables.count() == 7
    assert pilkada.risk_indicators.count() == 26 and pilkada.risk_variables.count() == 8

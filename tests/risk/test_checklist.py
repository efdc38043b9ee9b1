"""Filling checklists: who, where, when; the Excel upload is all or nothing."""

import io
import re
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


@pytest.fixture
def pkd(db):
    """A member of Desa Ped's village supervisors (PKD): the village's TPS are theirs (a PTPS has
    only its own, tests/risk/test_ptps_scope.py)."""
    from sinergi.accounts.models import Agency, User

    return User.objects.create_user(username="pkd-ped", agency=Agency.objects.get(slug="pkd-5105012010"), role=User.Role.STAFF)


@pytest.mark.django_db
def test_the_village_supervisor_fills_their_own_village_while_collection_is_open(pkd, ped1, pemilu):
    submit_checklist(actor=pkd, station=ped1, answers={"6.1": (True, "Posko di depan balai banjar")}, today=OPEN_DAY)
    saved = answer(ped1, "6.1")
    assert (saved.present, saved.note, saved.filled_by) == (True, "Posko di depan balai banjar", pkd)
    event = AuditEvent.objects.filter(action="checklist.save", object_id=str(ped1.pk)).latest("id")
    assert event.changes["6.1"] == {"ada": [None, True], "catatan": [None, "Posko di depan balai banjar"]}
    assert event.actor_username == pkd.username
    other_village = Station.objects.get(election=pemilu, village_id="51.05.01.2001", number=1)
    with pytest.raises(PermissionDenied, match="di luar wilayah Anda"):
        submit_checklist(actor=pkd, station=other_village, answers={"6.1": (True, "")}, today=OPEN_DAY)


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
def test_the_excel_upload_names_every_bad_row_and_writes_nothing(pkd, pemilu, ped1):
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
        import_checklists(actor=pkd, election=pemilu, table=table, today=OPEN_DAY)
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
def test_a_valid_upload_writes_and_a_repeat_changes_nothing(pkd, pemilu, ped1):
    table = upload("kode_desa,nomor_tps,6.1,6.5\n51.05.01.2010,1,ya,ya\n")
    assert import_checklists(actor=pkd, election=pemilu, table=table, today=OPEN_DAY) >= 1
    assert answer(ped1, "6.5").present
    assert import_checklists(actor=pkd, election=pemilu, table=table, today=OPEN_DAY) == 0


@pytest.mark.django_db
def test_catalogues_have_the_documented_sizes(pemilu, pilkada):
    assert pemilu.risk_indicators.count() == 22 and pemilu.risk_variables.count() == 7
    assert pilkada.risk_indicators.count() == 26 and pilkada.risk_variables.count() == 8


def last_event(station):
    return AuditEvent.objects.filter(action="checklist.save", object_id=str(station.pk)).latest("id")


@pytest.mark.django_db
def test_a_changed_note_alone_is_saved_and_audited(user_of, ped1):
    staff = user_of(personas.BAWASLU_STAFF)
    submit_checklist(actor=staff, station=ped1, answers={"6.1": (True, "Posko")}, today=OPEN_DAY)
    assert submit_checklist(actor=staff, station=ped1, answers={"6.1": (True, "Posko dan spanduk")}, today=OPEN_DAY) == 1
    assert last_event(ped1).changes == {"6.1": {"catatan": ["Posko", "Posko dan spanduk"]}}
    events = AuditEvent.objects.filter(action="checklist.save", object_id=str(ped1.pk)).count()
    assert submit_checklist(actor=staff, station=ped1, answers={"6.1": (True, "Posko dan spanduk")}, today=OPEN_DAY) == 0
    assert AuditEvent.objects.filter(action="checklist.save", object_id=str(ped1.pk)).count() == events


@pytest.mark.django_db
def test_an_evidence_photo_is_in_the_same_audit_event_with_the_reason(user_of, ped1):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    photo = SimpleUploadedFile("bukti.jpg", buffer.getvalue(), content_type="image/jpeg")
    submit_checklist(
        actor=user_of(personas.BAWASLU_STAFF), station=ped1, answers={}, evidence=("6.4", photo), reason="Foto dari PKD", today=CLOSED_DAY
    )
    saved = answer(ped1, "6.4")
    assert saved.present and saved.evidence.name.rsplit("/", 1)[-1].startswith(f"tps-{ped1.pk}-6-4") and saved.evidence.name.endswith(".jpg")
    changes = last_event(ped1).changes
    assert changes["6.4"] == {"ada": [None, True], "foto": [None, saved.evidence.name]}
    assert changes["alasan"] == [None, "Foto dari PKD"]


@pytest.mark.django_db
def test_collection_is_open_by_the_election_own_clock(pemilu, monkeypatch):
    from datetime import UTC, datetime

    from django.utils import timezone

    from sinergi.risk.services import collection_is_open

    # 8 Feb 2024 16:30 UTC: still the 8th (the stage's last day) in Jakarta, already the 9th in Bali.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2024, 2, 8, 16, 30, tzinfo=UTC))
    assert not collection_is_open(pemilu)
    pemilu.time_zone = "Asia/Jakarta"
    assert collection_is_open(pemilu)


@pytest.mark.django_db
def test_a_non_ascii_digit_in_the_upload_is_a_row_error(user_of, pemilu):
    with pytest.raises(InputRejected, match="Baris 2, kolom 'nomor_tps': TPS ² desa"):
        import_checklists(actor=user_of(personas.BAWASLU), election=pemilu, table=upload("kode_desa,nomor_tps,6.1\n51.05.01.2010,²,ya\n"), today=OPEN_DAY)


@pytest.mark.django_db
def test_an_upload_after_closing_needs_bawaslu_and_a_reason(user_of, pemilu, ped1):
    table = upload("kode_desa,nomor_tps,6.5,alasan\n51.05.01.2010,1,ya,Hasil rapat pleno 12 Feb\n")
    with pytest.raises(PermissionDenied):
        import_checklists(actor=user_of(personas.PTPS_PED), election=pemilu, table=table, today=CLOSED_DAY)
    with pytest.raises(ValidationError, match="isi alasan"):
        import_checklists(actor=user_of(personas.BAWASLU), election=pemilu, table=upload("kode_desa,nomor_tps,6.5\n51.05.01.2010,1,ya\n"), today=CLOSED_DAY)
    assert import_checklists(actor=user_of(personas.BAWASLU), election=pemilu, table=table, today=CLOSED_DAY) == 1
    assert answer(ped1, "6.5").present
    assert last_event(ped1).changes["alasan"] == [None, "Hasil rapat pleno 12 Feb"]


@pytest.mark.django_db
def test_the_web_upload_takes_a_real_excel_file(client_of, pemilu, ped1):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["kode_desa", "nomor_tps", "6.5", "alasan"])
    sheet.append(["51.05.01.2010", 1, "ya", "Perbaikan data"])
    content = io.BytesIO()
    book.save(content)
    content.seek(0)
    content.name = "rawan.xlsx"
    bawaslu = client_of(personas.BAWASLU)
    preview = bawaslu.post("/pemilihan/pemilu-2024/rawan/unggah/", {"file": content})
    assert "Jawaban untuk 1 TPS akan disimpan" in preview.text and not getattr(answer(ped1, "6.5"), "present", False)  # asked first
    token = re.search(r'name="berkas" value="([^"]+)"', preview.text).group(1)
    response = bawaslu.post("/pemilihan/pemilu-2024/rawan/unggah/", {"berkas": token, "confirm": "1"}, follow=True)
    assert "Unggahan disimpan: 1 jawaban berubah." in response.text
    assert answer(ped1, "6.5").present


@pytest.mark.django_db
def test_the_web_upload_refuses_other_file_kinds(client_of):
    content = io.BytesIO(b"%PDF-1.4")
    content.name = "rawan.pdf"
    response = client_of(personas.BAWASLU).post("/pemilihan/pemilu-2024/rawan/unggah/", {"file": content})
    assert "Gunakan berkas .xlsx atau .csv." in response.text

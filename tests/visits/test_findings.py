"""What a joint visit finds updates the TPS's checklist (with the visit as source and the evidence
photo) and, through it, the police class suggestion; the collection stage's rules hold."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sinergi.audit.models import AuditEvent
from sinergi.risk.models import ChecklistAnswer, StationClass
from sinergi.risk.queries import suggestion_changes, suggestions_for_stations
from sinergi.risk.services import set_station_class, submit_checklist
from sinergi.visits.models import VisitStop
from sinergi.visits.services import apply_findings, cancel_visit, complete_visit, record_findings
from tests import personas
from tests.visits.conftest import AFTER_STAGE, IN_STAGE, other_kecamatan_user

INTIMIDATION = "2.2"  # a severe indicator (Pemilu 2024): its presence alone suggests "rawan"


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile("bukti.png", buffer.getvalue(), content_type="image/png")


def _present(station) -> dict[str, tuple[bool, str]]:
    return {code: (True, note) for code, note in ChecklistAnswer.objects.filter(station=station, present=True).values_list("indicator__code", "note")}


def _calm_stop(visit) -> VisitStop:
    """A stop whose TPS is kurang rawan with no indicator present (the Ped TPS of the demo vary);
    its answers are cleared to make it so."""
    stop = visit.stops.select_related("station", "visit__election", "visit__region").first()
    ChecklistAnswer.objects.filter(station=stop.station).delete()
    StationClass.objects.update_or_create(
        station=stop.station, defaults={"level": "kurang_rawan", "suggested_level": "kurang_rawan", "set_at": "2024-02-01T00:00Z"}
    )
    return stop


def test_bawaslu_records_in_the_stage_and_the_checklist_and_suggestion_change(ped_visit, user_of, pemilu):
    stop = _calm_stop(ped_visit)
    polsek = user_of(personas.POLSEK_NUSA_PENIDA)
    assert suggestion_changes(polsek, pemilu) == [] or stop.station not in [c.station for c in suggestion_changes(polsek, pemilu)]
    findings = {INTIMIDATION: (True, "Ancaman kepada pemilih")}
    stop = record_findings(
        actor=user_of(personas.BAWASLU), stop=stop, findings=findings, note="Laporan warga", photo=_photo(), photo_code=INTIMIDATION, today=IN_STAGE
    )
    answer = ChecklistAnswer.objects.get(station=stop.station, indicator__code=INTIMIDATION)
    assert answer.present and answer.visit_id == ped_visit.pk and answer.note == "Ancaman kepada pemilih"
    assert answer.evidence.name.endswith(".png") and answer.filled_by.username == personas.BAWASLU
    assert stop.applied_at is not None and stop.answers_changed == 1
    assert (stop.suggestion_before, stop.suggestion_after) == ("kurang_rawan", "rawan")
    assert suggestions_for_stations(pemilu, [stop.station])[stop.station.pk].level == "rawan"
    # The police class awaits the police: the suggestion it was set on is no longer the suggestion.
    awaiting = {c.station.pk: c for c in suggestion_changes(polsek, pemilu)}
    assert awaiting[stop.station.pk].suggested == "rawan" and awaiting[stop.station.pk].level == "kurang_rawan"
    # The audit: the visit's event and the checklist's, the visit named as the answers' source.
    event = AuditEvent.objects.get(action="visit.findings", object_id=str(stop.pk))
    assert event.changes["saran_kelas"] == ["kurang_rawan", "rawan"] and event.region == stop.station.village_id
    checklist = AuditEvent.objects.filter(action="checklist.save", object_id=str(stop.station.pk)).latest("pk")
    assert checklist.changes["kunjungan"] == [None, ped_visit.pk] and "kunjungan bersama" in checklist.changes["alasan"][1]
    # The police then confirm (or override) as today; the TPS no longer awaits them.
    set_station_class(actor=polsek, station=stop.station, level="rawan")
    assert stop.station.pk not in {c.station.pk for c in suggestion_changes(polsek, pemilu)}


def test_a_later_checklist_form_takes_over_as_source(ped_visit, user_of):
    stop = _calm_stop(ped_visit)
    record_findings(actor=user_of(personas.BAWASLU), stop=stop, findings={INTIMIDATION: (True, "")}, today=IN_STAGE)
    submit_checklist(actor=user_of(personas.BAWASLU), station=stop.station, answers={INTIMIDATION: (False, "")}, today=IN_STAGE)
    assert ChecklistAnswer.objects.get(station=stop.station, indicator__code=INTIMIDATION).visit_id is None


def test_the_polsek_findings_wait_for_bawaslu_district_staff(ped_visit, user_of, pemilu):
    stop = _calm_stop(ped_visit)
    record_findings(actor=user_of(personas.POLSEK_NUSA_PENIDA), stop=stop, findings={INTIMIDATION: (True, "")}, today=AFTER_STAGE)
    stop.refresh_from_db()
    assert stop.recorded_at is not None and stop.applied_at is None
    assert not ChecklistAnswer.objects.filter(station=stop.station).exists()  # the checklist is Bawaslu's
    with pytest.raises(PermissionDenied):
        apply_findings(actor=user_of(personas.PANWASCAM_NUSA_PENIDA), stop=stop, today=AFTER_STAGE)
    with pytest.raises(PermissionDenied):
        apply_findings(actor=user_of(personas.POLSEK_NUSA_PENIDA), stop=stop, today=AFTER_STAGE)
    stop = apply_findings(actor=user_of(personas.BAWASLU_STAFF), stop=stop, today=AFTER_STAGE)
    answer = ChecklistAnswer.objects.get(station=stop.station, indicator__code=INTIMIDATION)
    assert answer.visit_id == ped_visit.pk and answer.filled_by.username == personas.BAWASLU_STAFF
    assert stop.applied_by.username == personas.BAWASLU_STAFF and stop.suggestion_after == "rawan"
    assert AuditEvent.objects.filter(action="visit.apply", object_id=str(stop.pk)).count() == 1
    with pytest.raises(ValidationError, match="sudah diterapkan"):
        apply_findings(actor=user_of(personas.BAWASLU_STAFF), stop=stop, today=AFTER_STAGE)


def test_findings_before_the_visit_day_are_refused(ped_visit, user_of):
    stop = _calm_stop(ped_visit)
    with pytest.raises(ValidationError, match="hari kunjungan"):
        record_findings(actor=user_of(personas.BAWASLU), stop=stop, findings={INTIMIDATION: (True, "")}, today=date(2024, 2, 5))
    assert not AuditEvent.objects.filter(action="visit.findings").exists()


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_changes(ped_visit, user_of):
    stop = _calm_stop(ped_visit)
    fake = SimpleUploadedFile("bukti.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        record_findings(actor=user_of(personas.BAWASLU), stop=stop, findings={INTIMIDATION: (True, "")}, photo=fake, photo_code=INTIMIDATION, today=IN_STAGE)
    assert "bukan JPEG atau PNG" in " ".join(refused.value.message_dict["photo"])
    assert not ChecklistAnswer.objects.filter(station=stop.station).exists()
    stop.refresh_from_db()
    assert stop.recorded_at is None


def test_a_photo_marks_its_indicator_present(ped_visit, user_of):
    stop = _calm_stop(ped_visit)
    record_findings(
        actor=user_of(personas.BAWASLU), stop=stop, findings={INTIMIDATION: (False, "dilihat")}, photo=_photo(), photo_code=INTIMIDATION, today=IN_STAGE
    )
    answer = ChecklistAnswer.objects.get(station=stop.station, indicator__code=INTIMIDATION)
    assert answer.present and answer.note == "dilihat" and answer.evidence


def test_unknown_indicator_codes_are_refused(ped_visit, user_of):
    stop = _calm_stop(ped_visit)
    with pytest.raises(ValidationError, match="Kode indikator tidak dikenal"):
        record_findings(actor=user_of(personas.BAWASLU), stop=stop, findings={"99.9": (True, "")}, today=IN_STAGE)


def test_cancelled_and_completed_visits_take_no_more_findings(ped_visit, user_of):
    stop = _calm_stop(ped_visit)
    bawaslu = user_of(personas.BAWASLU)
    with pytest.raises(ValidationError, match="paling sedikit satu TPS"):
        complete_visit(actor=bawaslu, visit=ped_visit)
    record_findings(actor=bawaslu, stop=stop, findings={INTIMIDATION: (True, "")}, today=IN_STAGE)
    with pytest.raises(ValidationError, match="jangan dibatalkan"):
        cancel_visit(actor=bawaslu, visit=ped_visit, reason="Hujan")
    visit = complete_visit(actor=bawaslu, visit=ped_visit, summary="Selesai")
    assert visit.status == "selesai"
    stop.refresh_from_db()
    with pytest.raises(ValidationError, match="sudah selesai"):
        record_findings(actor=bawaslu, stop=stop, findings={}, today=IN_STAGE)
    assert list(AuditEvent.objects.filter(object_type="visits.visit", object_id=str(visit.pk)).values_list("action", flat=True).order_by("pk")) == [
        "visit.plan",
        "visit.complete",
    ]


def test_cancelling_needs_a_reason(ped_visit, user_of):
    polsek = user_of(personas.POLSEK_NUSA_PENIDA)
    with pytest.raises(ValidationError):
        cancel_visit(actor=polsek, visit=ped_visit, reason=" ")
    visit = cancel_visit(actor=polsek, visit=ped_visit, reason="Gelombang tinggi")
    assert visit.status == "batal" and AuditEvent.objects.filter(action="visit.cancel", object_id=str(visit.pk)).exists()


def test_another_kecamatans_panwascam_cannot_record(ped_visit, user_of):
    stop = _calm_stop(ped_visit)
    dawan = other_kecamatan_user("panwascam-dawan", "panwascam-dawan-uji")
    with pytest.raises(PermissionDenied):
        record_findings(actor=dawan, stop=stop, findings={INTIMIDATION: (True, "")}, today=IN_STAGE)
    with pytest.raises(PermissionDenied):
        cancel_visit(actor=dawan, visit=ped_visit, reason="x")
    with pytest.raises(PermissionDenied):
        record_findings(actor=user_of(personas.KPU), stop=stop, findings={}, today=IN_STAGE)

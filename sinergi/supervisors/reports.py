"""Form A (Laporan Hasil Pengawasan): the stage checklists and the idempotent filing of reports.

The phone makes a report's id (`client_id`) before sending; sending it again — after a timeout,
from the offline queue, three times — returns the report stored the first time, never a second one.
The answer is sent only after the transaction commits."""

import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, record
from sinergi.elections.models import Election
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to
from sinergi.supervisors.models import Assignment, Incident, Question, Report

# The Pemilu 2024 checklists as data (Sinergi's own short wording of what Form A asks).
PRESET = {
    Question.Stage.PREPARATION: [
        ("kotak_tersegel", "Kotak suara dalam keadaan tersegel sebelum dibuka", "ya_tidak", True),
        ("logistik_lengkap", "Perlengkapan pemungutan suara lengkap dan sesuai", "ya_tidak", True),
        ("dpt_ditempel", "Salinan DPT ditempel di TPS", "ya_tidak", False),
        ("kpps_hadir", "Jumlah anggota KPPS yang hadir", "angka", True),
    ],
    Question.Stage.VOTING: [
        ("dibuka_tepat_waktu", "TPS dibuka pukul 07.00", "ya_tidak", True),
        ("saksi_hadir", "Jumlah saksi peserta pemilu yang hadir", "angka", False),
        ("pemilih_tidak_berhak", "Ada orang yang tidak berhak ikut memilih", "ya_tidak", True),
        ("intimidasi", "Ada intimidasi atau tekanan kepada pemilih", "ya_tidak", True),
    ],
    Question.Stage.COUNTING: [
        ("penghitungan_terbuka", "Penghitungan suara terbuka dan dapat disaksikan", "ya_tidak", True),
        ("keberatan_saksi", "Ada keberatan saksi", "ya_tidak", True),
        ("foto_c_hasil", "Foto C.Hasil (salinan pengawas)", "foto", False),
    ],
    Question.Stage.TRANSFER: [
        ("dikawal", "Kotak suara dikawal ke PPS", "ya_tidak", True),
        ("segel_utuh", "Segel kotak suara utuh saat diserahkan", "ya_tidak", True),
    ],
}


class ReportConflict(Exception):
    """A report id already used for another TPS or stage (the API answers 409)."""


def install_checklists(election: Election) -> int:
    made = 0
    for stage, questions in PRESET.items():
        for order, (code, text, kind, required) in enumerate(questions):
            _, created = Question.objects.get_or_create(election=election, stage=stage, code=code, defaults={"text": text, "kind": kind, "required": required, "order": order})
            made += created
    return made


def _check_may_file(actor: User | None, station: Station) -> None:
    """A PTPS files for the TPS of its active post only; PKD and Bawaslu staff for their area."""
    if actor is None:
        return
    require(actor, Perm.FILE_REPORTS)
    supervisor = getattr(actor, "supervisor", None)
    if supervisor is not None:
        if not supervisor.assignments.filter(station=station, status__in=Assignment.ACTIVE).exists():
            raise PermissionDenied("Anda hanya dapat melapor untuk TPS tempat Anda bertugas.")
        return
    if not stations_visible_to(actor, station.election).filter(pk=station.pk).exists():
        raise PermissionDenied("TPS ini di luar wilayah Anda.")


def _clean_answers(election: Election, stage: str, answers: dict) -> dict:
    questions = {q.code: q for q in Question.objects.filter(election=election, stage=stage)}
    errors = []
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        errors.append(f"Pertanyaan tidak dikenal untuk tahap ini: {', '.join(unknown)}.")
    clean = {}
    for code, question in questions.items():
        value = answers.get(code)
        if value is None or value == "":
            if question.required:
                errors.append(f"'{question.text}' wajib dijawab.")
            continue
        if question.kind == Question.Kind.YES_NO and not isinstance(value, bool):
            errors.append(f"'{question.text}': jawab ya atau tidak.")
        elif question.kind == Question.Kind.NUMBER and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000):
            errors.append(f"'{question.text}': isi bilangan bulat 0 atau lebih.")
        elif question.kind in (Question.Kind.TEXT, Question.Kind.PHOTO) and (not isinstance(value, str) or len(value) > 1000 or "\x00" in value):
            errors.append(f"'{question.text}': isi teks paling panjang 1.000 karakter.")
        else:
            clean[code] = value
    if errors:
        raise ValidationError(errors)
    return clean


def report_number(report: Report) -> str:
    """In Bawaslu's LHP style: 00017/LHP/PM.01.03/51.05/02/2024."""
    district = ".".join(report.station.village_id.split(".")[:2])
    return f"{report.pk:05d}/LHP/PM.01.03/{district}/{report.observed_at:%m}/{report.observed_at:%Y}"


def _once(model, client_id: uuid.UUID, same, validate, create):
    """The idempotent write shared by reports and incidents: the row already stored under
    `client_id` (checked by `same`), else `validate()` then `create()` in one transaction; if a
    copy sent at the same moment wins the race, its row is returned. (row, created)."""
    existing = model.objects.filter(client_id=client_id).first()
    if existing is not None:
        return same(existing), False
    validate()
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = model.objects.filter(client_id=client_id).first()
        if existing is None:
            raise
        return same(existing), False


def submit_report(
    *, actor: User | None, station: Station, stage: str, client_id: uuid.UUID, answers: dict, narrative: str, observed_at: datetime, via: str = Report.Via.WEB
) -> tuple[Report, bool]:
    """Store a report, or return the one already stored under `client_id`. (report, created)."""
    _check_may_file(actor, station)
    clean = {}

    def same(existing: Report) -> Report:
        if existing.station_id != station.pk or existing.stage != stage:
            raise ReportConflict(f"Id laporan {existing.client_id} sudah dipakai untuk laporan lain ({existing.number}).")
        return existing

    def validate() -> None:
        if stage not in Question.Stage.values:
            raise ValidationError(f"Tahap '{stage}' tidak dikenal.")
        if len(narrative) > 4000 or "\x00" in narrative:
            raise ValidationError("Uraian paling panjang 4.000 karakter.")
        clean.update(_clean_answers(station.election, stage, answers))

    def create() -> Report:
        report = Report.objects.create(
            election=station.election, station=station, stage=stage, client_id=client_id, number=str(client_id), answers=clean,
            narrative=narrative.strip(), observed_at=observed_at, via=via, filed_by=actor,
        )  # fmt: skip
        report.number = report_number(report)
        Report.objects.filter(pk=report.pk).update(number=report.number)
        record(actor=actor, changes=[Change("report.file", "supervisors.report", report.pk, report.number, station.election.slug, {"tahap": [None, stage], "tps": [None, str(station)]}, station.village_id)])
        return report

    return _once(Report, client_id, same, validate, create)


def submit_incident(
    *, actor: User | None, station: Station, client_id: uuid.UUID, category: str, severity: str, occurred_at: datetime, description: str, via: str = Report.Via.WEB
) -> tuple[Incident, bool]:
    """Store an incident, or return the one already stored under `client_id`. (incident, created)."""
    _check_may_file(actor, station)

    def same(existing: Incident) -> Incident:
        if existing.station_id != station.pk:
            raise ReportConflict(f"Id kejadian {client_id} sudah dipakai untuk TPS lain.")
        return existing

    def validate() -> None:
        errors = []
        if category not in Incident.Category.values:
            errors.append(f"Kategori '{category}' tidak dikenal; pilih: {', '.join(Incident.Category.values)}.")
        if severity not in Incident.Severity.values:
            errors.append(f"Tingkat '{severity}' tidak dikenal; pilih: {', '.join(Incident.Severity.values)}.")
        if not description.strip() or len(description) > 4000 or "\x00" in description:
            errors.append("Uraian kejadian wajib, paling panjang 4.000 karakter.")
        if errors:
            raise ValidationError(errors)

    def create() -> Incident:
        incident = Incident.objects.create(
            election=station.election, station=station, client_id=client_id, category=category, severity=severity,
            occurred_at=occurred_at, description=description.strip(), via=via, filed_by=actor,
        )  # fmt: skip
        record(actor=actor, changes=[Change("incident.file", "supervisors.incident", incident.pk, str(station), station.election.slug, {"kategori": [None, category], "tingkat": [None, severity]}, station.village_id)])
        return incident

    return _once(Incident, client_id, same, validate, create)

"""Cases (findings and public reports) and their deadlines; days off beyond the national calendar."""

import secrets
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, record
from sinergi.cases import evidence as evidence_files
from sinergi.cases import workflow
from sinergi.cases.calendars import indonesian_calendar
from sinergi.cases.deadlines import FORWARDED, KNOWN, RECEIVED, RULES, Calendar, Deadline, Rule, Unit, compute, compute_all
from sinergi.cases.models import Case, DayOff, Evidence, Step
from sinergi.elections.models import Election
from sinergi.regions import codes
from sinergi.regions.codes import is_within
from sinergi.regions.models import Region
from sinergi.supervisors.models import Incident


def _check_area(actor: User | None, region_code: str) -> Region | None:
    """The region of a day off `actor` may manage: one within its area; everywhere ('') only for
    the deployment (superuser, command line)."""
    if actor is not None:
        require(actor, Perm.MANAGE_DAYS_OFF)
    region = None
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise ValidationError(f"Wilayah {region_code} tidak ada.")
    area = None if actor is None else actor.area_code
    if area is not None and (region is None or not is_within(region.code, area)):
        raise PermissionDenied(f"Hari libur tambahan hanya untuk wilayah Anda ({area}).")
    return region


def add_day_off(*, actor: User | None, day: date, reason: str, region_code: str = "") -> DayOff:
    """Add a day off (for `region_code` and below, or everywhere); audited."""
    region = _check_area(actor, region_code)
    reason = reason.strip()
    if not reason or len(reason) > 200:
        raise ValidationError("Alasan wajib diisi, paling panjang 200 karakter (misalnya nomor keputusan).")
    where = region.name if region else "seluruh wilayah"
    try:
        with transaction.atomic(durable=True):
            day_off = DayOff.objects.create(day=day, region=region, reason=reason, created_by=actor)
            record(
                actor=actor,
                changes=[Change("day_off.add", "cases.dayoff", day_off.pk, f"{day:%d-%m-%Y} ({where})", changes={"alasan": [None, reason]}, region=region_code)],
            )
    except IntegrityError:
        raise ValidationError(f"{day:%d-%m-%Y} sudah tercatat sebagai hari libur tambahan untuk {where}.") from None
    return day_off


def remove_day_off(*, actor: User | None, day: date, region_code: str = "") -> None:
    """Remove a day off added before; audited."""
    region = _check_area(actor, region_code)
    with transaction.atomic(durable=True):
        day_off = DayOff.objects.filter(day=day, region=region).first()
        if day_off is None:
            raise ValidationError(f"{day:%d-%m-%Y} bukan hari libur tambahan untuk {region.name if region else 'seluruh wilayah'}.")
        record(
            actor=actor,
            changes=[Change("day_off.remove", "cases.dayoff", day_off.pk, f"{day:%d-%m-%Y}", changes={"alasan": [day_off.reason, None]}, region=region_code)],
        )
        day_off.delete()


def days_off_for(region_code: str, rows: list[tuple[date, str | None, str]] | None = None) -> dict[date, str]:
    """The extra days off that stop deadlines in `region_code`: those for everywhere, for the
    region and for the regions above it (a village's own holiday does not stop the district's).
    `rows` (from `all_days_off()`) spares a query per case when many cases are computed."""
    above = set(codes.lineage(region_code or ""))
    if rows is None:
        rows = all_days_off(above)
    return {day: reason for day, region, reason in sorted(rows) if region is None or region in above}


def all_days_off(regions: Iterable[str] | None = None) -> list[tuple[date, str | None, str]]:
    """The extra days off for everywhere and for `regions` (all of them when None: the table is
    small, a few a year per region)."""
    rows = DayOff.objects.all() if regions is None else DayOff.objects.filter(Q(region__isnull=True) | Q(region_id__in=list(regions)))
    return list(rows.values_list("day", "region_id", "reason"))


def calendar_for(region_code: str, years: Iterable[int], days_off: list | None = None) -> Calendar:
    """The calendar deadlines count on in `region_code`: national holidays and cuti bersama (as the
    DEADLINE_COLLECTIVE_LEAVE_IS_DAY_OFF setting says) of `years`, and the extra days off."""
    extra = days_off_for(region_code, days_off)
    return indonesian_calendar(years, collective_leave_is_day_off=settings.DEADLINE_COLLECTIVE_LEAVE_IS_DAY_OFF, extra=extra)


# Tracking codes: what a reporter copies from a screen or a phone; no 0/O, 1/I/L.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_REQUIRED = {
    "reporter_name": "Nama pelapor",
    "reporter_address": "Alamat pelapor",
    "occurred_place": "Tempat kejadian",
    "description": "Uraian kejadian",
}
_LIMITS = {"reporter_name": 120, "reporter_address": 300, "reporter_phone": 20, "reported_party": 300, "occurred_place": 300, "description": 8000}


def _local_day(election: Election, moment, region_code: str) -> date:
    """The day `moment` falls on where `region_code` lies (its province's zone: WITA for Bali, WIT
    for Papua; deadlines end at 23.59 there)."""
    return timezone.localtime(moment, election.zone_at(region_code)).date()


def new_tracking_code() -> str:
    """'LP-7K3M-Q9TX': 8 random characters, 31^8 ≈ 850 billion codes."""
    chars = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"LP-{chars[:4]}-{chars[4:]}"


def _clean_case(region_code: str, facts: dict, received_on: date) -> tuple[Region, dict]:
    """The case's facts as stored, or ValidationError naming every field that is wrong and how to fix it."""
    errors: dict[str, list[str]] = {}
    clean = {}
    for name, limit in _LIMITS.items():
        value = str(facts.get(name) or "").strip()
        if name in _REQUIRED and not value:
            errors[name] = [f"{_REQUIRED[name]} wajib diisi."]
        elif len(value) > limit or "\x00" in value:
            errors[name] = [f"Paling panjang {limit} karakter."]
        clean[name] = value
    clean["reporter_email"] = str(facts.get("reporter_email") or "").strip()
    if clean["reporter_email"] and "@" not in clean["reporter_email"]:
        errors["reporter_email"] = ["Alamat surel tidak sah (contoh: nama@contoh.id)."]
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        errors["region"] = [f"Wilayah {region_code or '(kosong)'} tidak ada: pilih desa/kelurahan tempat kejadian."]
    for name, label in (("occurred_on", "Tanggal kejadian"), ("known_on", "Tanggal diketahui")):
        value = facts.get(name)
        if not isinstance(value, date):
            errors[name] = [f"{label} wajib diisi (TTTT-BB-HH)."]
        elif value > received_on:
            errors[name] = [f"{label} tidak boleh setelah hari laporan diterima ({received_on:%d-%m-%Y})."]
        clean[name] = value
    if isinstance(clean["occurred_on"], date) and isinstance(clean["known_on"], date) and clean["known_on"] < clean["occurred_on"]:
        errors.setdefault("known_on", []).append("Tanggal diketahui tidak boleh sebelum tanggal kejadian.")
    witnesses = facts.get("witnesses") or []
    if not isinstance(witnesses, list) or any(not isinstance(w, dict) or not str(w.get("nama", "")).strip() for w in witnesses) or len(witnesses) > 20:
        errors["witnesses"] = ["Setiap saksi perlu nama (dan alamat); paling banyak 20 saksi."]
    else:
        clean["witnesses"] = [{"nama": str(w["nama"]).strip()[:120], "alamat": str(w.get("alamat", "")).strip()[:300]} for w in witnesses]
    if errors:
        raise ValidationError(errors)
    return region, clean


def _create(
    *, actor: User | None, election: Election, kind: str, source: str, region_code: str, facts: dict, incident: Incident | None = None, evidence=(), at=None, code=""
) -> Case:
    received_at = at or timezone.now()
    errors: dict[str, list[str]] = {}
    try:
        region, clean = _clean_case(region_code, facts, _local_day(election, received_at, region_code))
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        if len(evidence) > evidence_files.MAX_EVIDENCE_FILES:
            raise ValidationError({"evidence": [f"Paling banyak {evidence_files.MAX_EVIDENCE_FILES} berkas bukti."]})
        evidence = [evidence_files.checked(upload) for upload in evidence]
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)  # every wrong field at once, the files' included
    with evidence_files.files_removed_on_failure() as written:
        code = code or new_tracking_code()  # unique in the table; a clash (one in 850 billion) fails the insert
        case = Case.objects.create(
            election=election, region=region, kind=kind, source=source, tracking_code=code, received_at=received_at, status_since=received_at,
            incident=incident, created_by=actor, checklist=suggested_checklist(clean, has_evidence=bool(evidence)), **clean,
        )  # fmt: skip
        record(
            actor=actor,
            changes=[Change(f"case.{kind}", "cases.case", case.pk, code, election.slug, {"sumber": [None, source], "tanggal_diketahui": [None, str(clean["known_on"])]}, region.code)],
        )
        for checked_file in evidence:
            evidence_files.store(actor, case, checked_file, written)
    return case


def file_public_report(*, election: Election, source: str, region_code: str, facts: dict, evidence=(), at=None, code="") -> Case:
    """A report (laporan) from the public page, with no login: stored with a tracking code and its
    evidence files (all or nothing). `at` and `code` are for the demo (a report of the past)."""
    if source not in (Case.Source.VOTER, Case.Source.MONITOR, Case.Source.PARTICIPANT):
        raise ValidationError({"source": ["Pilih pelapor: warga negara yang punya hak pilih, pemantau, atau peserta pemilu."]})
    return _create(actor=None, election=election, kind=Case.Kind.REPORT, source=source, region_code=region_code, facts=facts, evidence=evidence, at=at, code=code)


def record_finding(*, actor: User, election: Election, region_code: str, facts: dict, incident: Incident | None = None, evidence=(), at=None, code="") -> Case:
    """A supervisor's finding (temuan) in the supervisor's area."""
    require(actor, Perm.RECORD_FINDINGS)
    area = actor.area_code
    if area is not None and not is_within(region_code, area):
        raise PermissionDenied("Temuan hanya untuk wilayah Anda.")
    facts = {"reporter_name": actor.get_full_name() or actor.username, "reporter_address": actor.agency.name if actor.agency_id else "-", **facts}
    return _create(actor=actor, election=election, kind=Case.Kind.FINDING, source=Case.Source.SUPERVISOR, region_code=region_code, facts=facts, incident=incident, evidence=evidence, at=at, code=code)


def finding_from_incident(*, actor: User, incident: Incident) -> Case:
    """A finding prefilled from a voting-day incident: its TPS, day and description."""
    station = incident.station
    day = _local_day(incident.election, incident.occurred_at, incident.station.village_id)
    facts = {
        "occurred_on": day,
        "known_on": day,
        "occurred_place": str(station),
        "description": f"[{incident.get_category_display()}, {incident.get_severity_display()}] {incident.description}",
    }
    return record_finding(actor=actor, election=incident.election, region_code=station.village_id, facts=facts, incident=incident)


def deadlines_of(case: Case) -> list[Deadline]:
    """The deadlines that apply to `case` so far, on the calendar of its region."""
    received_on = _local_day(case.election, case.received_at, case.region_id)
    starts = {KNOWN: case.known_on, RECEIVED: received_on}
    calendar = calendar_for(case.region_id, range(case.known_on.year, received_on.year + 2))
    rules = [rule for rule in RULES[case.election.kind] if rule.counted_from != KNOWN or rule.code == case.kind]
    return compute_all(rules, starts, calendar, first_day_counts=settings.DEADLINE_FIRST_DAY_COUNTS)


def filing_deadline(case: Case) -> tuple[Deadline, bool]:
    """The deadline for filing `case` (7 working days of becoming known, for a Pemilu report) and
    whether it was received late; the deadline's `computation()` is shown with it."""
    deadline = next(d for d in deadlines_of(case) if d.rule.code == case.kind)
    return deadline, deadline.is_late(_local_day(case.election, case.received_at, case.region_id))


def add_evidence(*, actor: User, case: Case, uploads) -> list[Evidence]:
    """Add evidence files to a case being handled (Bawaslu, for the case's area); all or nothing."""
    require(actor, Perm.HANDLE_CASES)
    _check_case_area(actor, case)
    if case.evidence.count() + len(uploads) > evidence_files.MAX_EVIDENCE_FILES:
        raise ValidationError({"evidence": [f"Paling banyak {evidence_files.MAX_EVIDENCE_FILES} berkas bukti per perkara."]})
    checked = [evidence_files.checked(upload) for upload in uploads]
    with evidence_files.files_removed_on_failure() as written:
        return [evidence_files.store(actor, case, checked_file, written) for checked_file in checked]


# --- The workflow -----------------------------------------------------------------------------

STEP_PERM = {workflow.BAWASLU: Perm.HANDLE_CASES, workflow.POLICE: Perm.INVESTIGATE_CASES, workflow.PROSECUTOR: Perm.PROSECUTE_CASES}


def suggested_checklist(facts: dict, *, has_evidence: bool) -> dict[str, bool]:
    """The intake checklist as the filed facts suggest it; the officer confirms it at review."""
    return {
        "identitas": bool(facts.get("reporter_name")),
        "alamat": bool(facts.get("reporter_address")),
        "terlapor": bool(facts.get("reported_party")),
        "waktu_tempat": bool(facts.get("occurred_on") and facts.get("occurred_place")),
        "uraian": bool(facts.get("description")),
        "bukti": has_evidence or bool(facts.get("witnesses")),
    }


def _check_case_area(actor: User, case: Case) -> None:
    area = actor.area_code
    if area is not None and not is_within(case.region_id, area):
        raise PermissionDenied("Perkara ini di luar wilayah Anda.")


def rules_of(case: Case) -> tuple[Rule, ...]:
    """The rule set of the case's election kind, with the completion window (a setting)."""
    unit = Unit.DAYS if case.election.kind == "pilkada" else Unit.WORKING_DAYS
    return (*RULES[case.election.kind], workflow.completion_rule(settings.CASE_COMPLETION_DAYS, unit))


def starts_of(case: Case, steps=None) -> dict[str, date | datetime]:
    """The events deadlines count from: the day it became known, the day it was received, and
    those the steps set (the latest wins: a file resubmitted starts the prosecutor's days again)."""
    starts: dict[str, date | datetime] = {KNOWN: case.known_on, RECEIVED: _local_day(case.election, case.received_at, case.region_id)}
    for step in case.steps.all() if steps is None else steps:
        if step.event:
            starts[step.event] = timezone.localtime(step.at, case.time_zone) if step.event == FORWARDED else _local_day(case.election, step.at, case.region_id)
    return starts


def running_deadline(case: Case, steps=None, days_off: list | None = None) -> Deadline | None:
    """The deadline running in the case's status (None when final or when the election kind's
    rules set none for it). For many cases, pass their prefetched steps and `all_days_off()`."""
    rule = workflow.pending_rule(case.status, rules_of(case), extended=case.extended)
    if rule is None:
        return None
    starts = starts_of(case, steps)
    if rule.counted_from not in starts:
        return None
    start = starts[rule.counted_from]
    day = start.date() if isinstance(start, datetime) else start
    calendar = calendar_for(case.region_id, range(day.year, day.year + 2), days_off)
    return compute(rule, start, calendar, first_day_counts=settings.DEADLINE_FIRST_DAY_COUNTS)


def deadline_end(case: Case, deadline: Deadline) -> datetime:
    """The moment a deadline ends: an hour limit's exact moment, or the end of its last day in the
    case's region's time zone (23.59 local)."""
    if isinstance(deadline.due, datetime):
        return deadline.due
    return datetime.combine(deadline.due + timedelta(days=1), time.min, case.time_zone)


_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _registration_number(case: Case, day: date) -> str:
    """'001/Reg/LP/PL/Kab/51.05/II/2024': the district's sequence of the year for reports (LP) or
    findings (TM), of a Pemilu (PL) or a Pilkada (PB)."""
    district = codes.district_of(case.region_id)
    kind = "LP" if case.kind == Case.Kind.REPORT else "TM"
    election = "PL" if case.election.kind == "pemilu" else "PB"
    suffix = f"/Reg/{kind}/{election}/Kab/{district}/"
    taken = Case.objects.filter(registration_number__contains=suffix, registration_number__endswith=f"/{day.year}").values_list("registration_number", flat=True)
    sequence = 1 + max((int(number.split("/")[0]) for number in taken), default=0)
    return f"{sequence:03d}{suffix}{_ROMAN[day.month - 1]}/{day.year}"


def take_step(*, actor: User, case: Case, action: str, note: str = "", outcome: str = "", checklist: dict[str, bool] | None = None, at=None) -> Step:
    """Take one step of the workflow on `case`: the right agency's permission, the case's area, a
    status the step may be taken from; the deadline that ran is checked and kept with the step;
    a registration gets its number; audited. ValidationError names what is wrong."""
    step_def = workflow.ACTIONS.get(action)
    if step_def is None:
        raise ValidationError({"action": [f"Langkah '{action}' tidak dikenal."]})
    require(actor, Perm.GAKKUMDU if step_def.deliberation else STEP_PERM[step_def.agency])
    if actor.agency_id is None:
        raise PermissionDenied("Langkah perkara diambil atas nama lembaga: akun ini tidak terhubung ke lembaga mana pun.")
    _check_case_area(actor, case)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if len(note) > 8000 or "\x00" in note:
        errors["note"] = ["Catatan paling panjang 8.000 karakter."]
    elif step_def.needs_note and not note:
        errors["note"] = [f"Tulis catatan untuk langkah '{step_def.label}' (alasan, ringkasan, atau amar putusan)."]
    if action == "putus" and outcome not in workflow.OUTCOME_LABEL:
        errors["outcome"] = ["Pilih putusan: bukan pelanggaran, administratif, kode etik, hukum lainnya, atau tindak pidana."]
    if errors:
        raise ValidationError(errors)
    now = at or timezone.now()  # `at`: the demo's steps of the past
    with transaction.atomic(durable=True):
        case = Case.objects.select_for_update().select_related("election").get(pk=case.pk)  # one step at a time
        if case.status not in step_def.sources:
            raise ValidationError({"action": [f"Langkah '{step_def.label}' tidak bisa diambil saat status '{case.get_status_display()}'."]})
        steps = list(case.steps.all())
        before = running_deadline(case, steps)
        changes = {}
        if action == "registrasi":
            if checklist is not None:
                case.checklist = {code: bool(checklist.get(code)) for code, _label in workflow.CHECKLIST}
                changes["syarat"] = [None, case.checklist]
            missing = workflow.missing(case.checklist)
            filing, late = filing_deadline(case)
            if late:
                missing.append(f"Disampaikan melewati batas waktu ({filing.computation()})")
            if missing:
                raise ValidationError({"checklist": [f"Belum memenuhi syarat: {'; '.join(missing)}. Minta pelapor melengkapi atau putuskan tidak diregistrasi."]})
            case.registration_number = _registration_number(case, _local_day(case.election, now, case.region_id))
            changes["nomor_registrasi"] = [None, case.registration_number]
        target = workflow.target_of(step_def, outcome) or case.status
        if action == "putus":
            case.outcome = outcome
            changes["putusan"] = [None, outcome]
        if action == "perpanjang":
            case.extended = True
        step = Step.objects.create(
            case=case, action=action, from_status=case.status, to_status=target, at=now, actor=actor, agency=actor.agency, note=note,
            outcome=outcome, event=step_def.sets, public=step_def.public, deliberation=step_def.deliberation,
            deadline=f"{before.rule.step}: {before.computation()} — {before.rule.basis}" if before else "",
            late=bool(before and workflow.judged_by_deadline(step_def) and before.is_late(now if isinstance(before.due, datetime) else _local_day(case.election, now, case.region_id))),
        )  # fmt: skip
        if target != case.status:
            changes["status"] = [case.status, target]
            case.status, case.status_since = target, now
        case.save()
        record(actor=actor, changes=[Change(f"case.{action}", "cases.case", case.pk, str(case), case.election.slug, changes, case.region_id)])
    return step

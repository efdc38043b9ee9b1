"""Cases (findings and public reports) and their deadlines; days off beyond the national calendar."""

import secrets
from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, record
from sinergi.cases.calendars import indonesian_calendar
from sinergi.cases.deadlines import KNOWN, RECEIVED, RULES, Calendar, Deadline, compute_all
from sinergi.cases.models import Case, DayOff
from sinergi.elections.models import Election
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
        with transaction.atomic():
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
    with transaction.atomic():
        day_off = DayOff.objects.filter(day=day, region=region).first()
        if day_off is None:
            raise ValidationError(f"{day:%d-%m-%Y} bukan hari libur tambahan untuk {region.name if region else 'seluruh wilayah'}.")
        record(
            actor=actor,
            changes=[Change("day_off.remove", "cases.dayoff", day_off.pk, f"{day:%d-%m-%Y}", changes={"alasan": [day_off.reason, None]}, region=region_code)],
        )
        day_off.delete()


def days_off_for(region_code: str) -> dict[date, str]:
    """The extra days off that stop deadlines in `region_code`: those for everywhere, for the
    region and for the regions above it (a village's own holiday does not stop the district's)."""
    parts = region_code.split(".") if region_code else []
    above = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    return {row.day: row.reason for row in DayOff.objects.filter(Q(region__isnull=True) | Q(region_id__in=above)).order_by("day")}


def calendar_for(region_code: str, years: Iterable[int]) -> Calendar:
    """The calendar deadlines count on in `region_code`: national holidays and cuti bersama (as the
    DEADLINE_COLLECTIVE_LEAVE_IS_DAY_OFF setting says) of `years`, and the extra days off."""
    return indonesian_calendar(years, collective_leave_is_day_off=settings.DEADLINE_COLLECTIVE_LEAVE_IS_DAY_OFF, extra=days_off_for(region_code))


# Tracking codes: what a reporter copies from a screen or a phone; no 0/O, 1/I/L.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_REQUIRED = {
    "reporter_name": "Nama pelapor",
    "reporter_address": "Alamat pelapor",
    "occurred_place": "Tempat kejadian",
    "description": "Uraian kejadian",
}
_LIMITS = {"reporter_name": 120, "reporter_address": 300, "reporter_phone": 20, "reported_party": 300, "occurred_place": 300, "description": 8000}


def _local_day(election: Election, moment) -> date:
    """The day `moment` falls on in the election's time zone (WITA for Bali)."""
    return timezone.localtime(moment, ZoneInfo(election.time_zone)).date()


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


def _create(*, actor: User | None, election: Election, kind: str, source: str, region_code: str, facts: dict, incident: Incident | None = None) -> Case:
    received_at = timezone.now()
    region, clean = _clean_case(region_code, facts, _local_day(election, received_at))
    with transaction.atomic():
        code = new_tracking_code()  # unique in the table; a clash (one in 850 billion) fails the insert
        case = Case.objects.create(
            election=election, region=region, kind=kind, source=source, tracking_code=code, received_at=received_at, incident=incident, created_by=actor, **clean
        )
        record(
            actor=actor,
            changes=[Change(f"case.{kind}", "cases.case", case.pk, code, election.slug, {"sumber": [None, source], "tanggal_diketahui": [None, str(clean["known_on"])]}, region.code)],
        )
    return case


def file_public_report(*, election: Election, source: str, region_code: str, facts: dict) -> Case:
    """A report (laporan) from the public page, with no login: stored with a tracking code."""
    if source not in (Case.Source.VOTER, Case.Source.MONITOR, Case.Source.PARTICIPANT):
        raise ValidationError({"source": ["Pilih pelapor: warga negara yang punya hak pilih, pemantau, atau peserta pemilu."]})
    return _create(actor=None, election=election, kind=Case.Kind.REPORT, source=source, region_code=region_code, facts=facts)


def record_finding(*, actor: User, election: Election, region_code: str, facts: dict, incident: Incident | None = None) -> Case:
    """A supervisor's finding (temuan) in the supervisor's area."""
    require(actor, Perm.RECORD_FINDINGS)
    area = actor.area_code
    if area is not None and not is_within(region_code, area):
        raise PermissionDenied("Temuan hanya untuk wilayah Anda.")
    facts = {"reporter_name": actor.get_full_name() or actor.username, "reporter_address": actor.agency.name if actor.agency_id else "-", **facts}
    return _create(actor=actor, election=election, kind=Case.Kind.FINDING, source=Case.Source.SUPERVISOR, region_code=region_code, facts=facts, incident=incident)


def finding_from_incident(*, actor: User, incident: Incident) -> Case:
    """A finding prefilled from a voting-day incident: its TPS, day and description."""
    station = incident.station
    day = _local_day(incident.election, incident.occurred_at)
    facts = {
        "occurred_on": day,
        "known_on": day,
        "occurred_place": str(station),
        "description": f"[{incident.get_category_display()}, {incident.get_severity_display()}] {incident.description}",
    }
    return record_finding(actor=actor, election=incident.election, region_code=station.village_id, facts=facts, incident=incident)


def deadlines_of(case: Case) -> list[Deadline]:
    """The deadlines that apply to `case` so far, on the calendar of its region."""
    received_on = _local_day(case.election, case.received_at)
    starts = {KNOWN: case.known_on, RECEIVED: received_on}
    calendar = calendar_for(case.region_id, range(case.known_on.year, received_on.year + 2))
    rules = [rule for rule in RULES[case.election.kind] if rule.counted_from != KNOWN or rule.code == case.kind]
    return compute_all(rules, starts, calendar, first_day_counts=settings.DEADLINE_FIRST_DAY_COUNTS)


def filing_deadline(case: Case) -> tuple[Deadline, bool]:
    """The deadline for filing `case` (7 working days of becoming known, for a Pemilu report) and
    whether it was received late; the deadline's `computation()` is shown with it."""
    deadline = next(d for d in deadlines_of(case) if d.rule.code == case.kind)
    return deadline, deadline.is_late(_local_day(case.election, case.received_at))

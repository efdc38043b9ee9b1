"""Days off beyond the national calendar, and the calendar a case's deadlines are counted on."""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, record
from sinergi.cases.calendars import indonesian_calendar
from sinergi.cases.deadlines import Calendar
from sinergi.cases.models import DayOff
from sinergi.regions.codes import is_within
from sinergi.regions.models import Region


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

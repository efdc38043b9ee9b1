"""The days off that deadlines skip: Indonesia's national holidays and collective-leave days from
the `holidays` package (Indonesian names), plus days off an administrator adds (`extra`)."""

from collections.abc import Iterable, Mapping
from datetime import date

import holidays

from sinergi.cases.deadlines import Calendar

COLLECTIVE_LEAVE_PREFIX = "Cuti Bersama "


def indonesian_calendar(years: Iterable[int], *, collective_leave_is_day_off: bool = True, extra: Mapping[date, str] | None = None) -> Calendar:
    """National holidays (election days included) and cuti bersama of `years`, with `extra`."""
    years = sorted(set(years))
    national = holidays.country_holidays("ID", years=years, language="id")
    leave = holidays.country_holidays("ID", years=years, categories=("government",), language="id")
    collective = {day: name.removeprefix(COLLECTIVE_LEAVE_PREFIX) for day, name in leave.items()}
    return Calendar({**dict(national.items()), **(extra or {})}, collective, collective_leave_is_day_off)

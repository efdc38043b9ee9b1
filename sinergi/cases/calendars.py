"""The days off that deadlines skip: Indonesia's national holidays and collective-leave days from
the `holidays` package (Indonesian names), plus days off an administrator adds (`extra`)."""

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType

import holidays

from sinergi.cases.deadlines import Calendar

COLLECTIVE_LEAVE_PREFIX = "Cuti Bersama "


def indonesian_calendar(years: Iterable[int], *, collective_leave_is_day_off: bool = True, extra: Mapping[date, str] | None = None) -> Calendar:
    """National holidays (election days included) and cuti bersama of `years`, with `extra`."""
    national, collective = _national(tuple(sorted(set(years))))
    return Calendar({**national, **(extra or {})}, collective, collective_leave_is_day_off)


@lru_cache(maxsize=64)
def _national(years: tuple[int, ...]) -> tuple[Mapping[date, str], Mapping[date, str]]:
    """The package's holidays and cuti bersama of `years`, computed once per process (about 13 ms
    each time otherwise: a case list would pay it per case); read-only views of them."""
    national = holidays.country_holidays("ID", years=years, language="id")
    leave = holidays.country_holidays("ID", years=years, categories=("government",), language="id")
    collective = {day: name.removeprefix(COLLECTIVE_LEAVE_PREFIX) for day, name in leave.items()}
    return MappingProxyType(dict(national.items())), MappingProxyType(collective)

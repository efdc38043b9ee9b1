"""A register's serials, for the numbering tests: 1, 2, 3, ... with none missing or repeated."""

from sinergi.supervisors.models import Report


def serials_of(register: str) -> list[int]:
    return sorted(Report.objects.filter(register=register).values_list("serial", flat=True))


def gap_free(register: str) -> bool:
    serials = serials_of(register)
    return serials == list(range(1, len(serials) + 1))

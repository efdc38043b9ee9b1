"""Kemendagri region codes. No Django import.

A code is dot-separated: province `51`, regency `51.05`, kecamatan `51.05.01`, village
`51.05.01.2010`. A village suffix starting with 1 is a kelurahan, with 2 a desa. A regency code
from 71 up is a kota (city), below it a kabupaten.
"""

import re

PROVINCE, REGENCY, DISTRICT, VILLAGE = 1, 2, 3, 4

_PATTERN = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")

KINDS_BY_LEVEL = {
    PROVINCE: {"provinsi"},
    REGENCY: {"kabupaten", "kota"},
    DISTRICT: {"kecamatan"},
    VILLAGE: {"desa", "kelurahan"},
}


def is_valid(code: str) -> bool:
    return bool(_PATTERN.match(code))


def level_of(code: str) -> int:
    """1 province, 2 regency, 3 kecamatan, 4 village. Raises ValueError on a malformed code."""
    if not is_valid(code):
        raise ValueError(f"malformed region code {code!r}")
    return code.count(".") + 1


def parent_of(code: str) -> str | None:
    """The code one level up, or None for a province."""
    level_of(code)
    return code.rsplit(".", 1)[0] if "." in code else None


def expected_kind(code: str) -> set[str]:
    """The kinds a code of this shape may have (a village suffix fixes desa or kelurahan)."""
    level = level_of(code)
    if level == VILLAGE:
        return {"kelurahan"} if code.rsplit(".", 1)[1].startswith("1") else {"desa"}
    if level == REGENCY:
        return {"kota"} if int(code.split(".")[1]) >= 71 else {"kabupaten"}
    return KINDS_BY_LEVEL[level]


def is_within(code: str, area: str) -> bool:
    """True when `code` is `area` itself or lies below it."""
    return code == area or code.startswith(area + ".")

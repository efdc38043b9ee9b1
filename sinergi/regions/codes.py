"""Kemendagri region codes. No Django import.

A code is dot-separated and fixed-width: province `51`, district (kabupaten or kota) `51.05`,
kecamatan `51.05.01`, village `51.05.01.2010`. A village suffix starting with 1 is a kelurahan,
with 2 a desa. A district code from 71 up is a kota (city), below it a kabupaten.

Vocabulary, here and in the whole code base: a *district* is a kabupaten or kota (level 2), never a
kecamatan. Code that needs the district, kecamatan or ancestors of a code asks the helpers below
instead of splitting the code itself.
"""

import re

PROVINCE, DISTRICT, KECAMATAN, VILLAGE = 1, 2, 3, 4
_WIDTH = {PROVINCE: 2, DISTRICT: 5, KECAMATAN: 8, VILLAGE: 13}  # characters of a code of each level

_PATTERN = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")

KINDS_BY_LEVEL = {
    PROVINCE: {"provinsi"},
    DISTRICT: {"kabupaten", "kota"},
    KECAMATAN: {"kecamatan"},
    VILLAGE: {"desa", "kelurahan"},
}


def width_of(level: int) -> int:
    """The characters of a code of `level` (5 for a district): what a roll-up groups a code column's
    prefix by (`substr(code, 1, width)`)."""
    return _WIDTH[level]


def is_valid(code: str) -> bool:
    return bool(_PATTERN.match(code))


def level_of(code: str) -> int:
    """1 province, 2 district (kabupaten/kota), 3 kecamatan, 4 village. Raises ValueError on a malformed code."""
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
    if level == DISTRICT:
        return {"kota"} if int(code.split(".")[1]) >= 71 else {"kabupaten"}
    return KINDS_BY_LEVEL[level]


def is_within(code: str, area: str) -> bool:
    """True when `code` is `area` itself or lies below it."""
    return code == area or code.startswith(area + ".")


def _cut(code: str, level: int) -> str:
    width = _WIDTH[level]
    if len(code) < width:
        raise ValueError(f"region code {code!r} lies above level {level}")
    return code[:width]


def province_of(code: str) -> str:
    """The province of a code at any level (`51.05.01.2010` -> `51`)."""
    return _cut(code, PROVINCE)


def district_of(code: str) -> str:
    """The district (kabupaten/kota) of a code at district level or below (`51.05.01.2010` -> `51.05`).
    ValueError for a province code. No validation beyond that: hot loops call it per TPS."""
    return _cut(code, DISTRICT)


def kecamatan_of(code: str) -> str:
    """The kecamatan of a code at kecamatan level or below (`51.05.01.2010` -> `51.05.01`)."""
    return _cut(code, KECAMATAN)


def lineage(code: str) -> list[str]:
    """The code and every region above it, from the province down (`51.05.01` -> `51`, `51.05`,
    `51.05.01`). Reverse it to look for the nearest region first."""
    return [code[:width] for level, width in sorted(_WIDTH.items()) if width <= len(code)] if code else []


def common_area(codes: list[str]) -> str:
    """The narrowest region holding every code (their longest common whole-level prefix; '' when
    they share no province)."""
    common = ""
    for level in sorted(_WIDTH):
        prefixes = {code[: _WIDTH[level]] for code in codes if len(code) >= _WIDTH[level]}
        if len(prefixes) != 1 or any(len(code) < _WIDTH[level] for code in codes):
            break
        common = prefixes.pop()
    return common

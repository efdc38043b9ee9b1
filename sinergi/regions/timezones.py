"""Which of Indonesia's three time zones a region keeps. No Django import.

Voting hours and legal deadlines are local: 07.00 and 23.59 at the TPS or the case, not at the
server. Every province keeps one zone (the defaults below, from its Kemendagri code); a deployment
may override a province with the `PROVINCE_TIME_ZONES` setting (`51=Asia/Makassar,...`), which
`parse_overrides` reads. West Kalimantan keeps WIB under its own IANA name (Asia/Pontianak).
"""

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
PONTIANAK = "Asia/Pontianak"  # WIB, West Kalimantan's own name

# The short name shown beside a time.
SHORT = {WIB: "WIB", PONTIANAK: "WIB", WITA: "WITA", WIT: "WIT"}

# The 38 provinces by Kemendagri code.
PROVINCES = {
    "11": WIB, "12": WIB, "13": WIB, "14": WIB, "15": WIB, "16": WIB, "17": WIB, "18": WIB, "19": WIB, "21": WIB,  # Sumatra, Riau Islands
    "31": WIB, "32": WIB, "33": WIB, "34": WIB, "35": WIB, "36": WIB,  # Java
    "51": WITA, "52": WITA, "53": WITA,  # Bali, NTB, NTT
    "61": PONTIANAK, "62": WIB, "63": WITA, "64": WITA, "65": WITA,  # Kalimantan
    "71": WITA, "72": WITA, "73": WITA, "74": WITA, "75": WITA, "76": WITA,  # Sulawesi
    "81": WIT, "82": WIT,  # Maluku, North Maluku
    "91": WIT, "92": WIT, "93": WIT, "94": WIT, "95": WIT, "96": WIT,  # the Papua provinces
}  # fmt: skip


def parse_overrides(items: list[str]) -> dict[str, str]:
    """`["51=Asia/Makassar", ...]` (the setting's comma-separated items) into province -> zone;
    ValueError naming the item for anything else."""
    found = {}
    for item in items:
        province, _, zone = item.partition("=")
        province, zone = province.strip(), zone.strip()
        if len(province) != 2 or not province.isdigit() or zone not in SHORT:
            raise ValueError(f"PROVINCE_TIME_ZONES: '{item}' harus berbentuk KODE_PROVINSI=zona, zona salah satu dari {', '.join(sorted(SHORT))}.")
        found[province] = zone
    return found


def zone_name(region_code: str, overrides: dict[str, str], default: str) -> str:
    """The zone of the province of `region_code` (any level): the override, the province's default,
    else `default` (a code with no known province, or an empty one)."""
    province = region_code[:2]
    return overrides.get(province) or PROVINCES.get(province) or default

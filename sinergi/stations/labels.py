"""How a TPS is named on every page, list, alert, map tip and export: `TPS 017 Ped` (the number
zero-padded to three digits, then the village). No Django import: callers reading plain rows use
it as Station.__str__ does."""


def tps_label(number: int, village_name: str) -> str:
    return f"{tps_number(number)} {village_name}"


def tps_number(number: int) -> str:
    """`TPS 017`: within one village (a list grouped by village)."""
    return f"TPS {number:03d}"

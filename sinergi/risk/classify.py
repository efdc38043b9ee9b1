"""Suggesting the police class of a TPS from its indicators, with the reasons. No Django import.

The police own the class; this only proposes one, by a rule an officer can read:

1. a TPS at a special location (prison, hospital, ...) is *khusus*: flagged so in the registry, or
   with a special-location indicator present (Pemilu 2024: 6.6; Pilkada 2024: 7.7);
2. a TPS with a severe indicator (by default the security ones: a history of violence or of
   intimidation) and at least `sangat_rawan_min_variables` variables present is *sangat rawan*;
3. a TPS with a severe indicator, or at least `rawan_min_variables` variables present, is *rawan*;
4. any other TPS is *kurang rawan*.
"""

from dataclasses import dataclass

KURANG_RAWAN, RAWAN, SANGAT_RAWAN, KHUSUS = "kurang_rawan", "rawan", "sangat_rawan", "khusus"


@dataclass(frozen=True)
class ClassRule:
    severe_codes: frozenset[str]
    special_codes: frozenset[str] = frozenset()
    rawan_min_variables: int = 2
    sangat_rawan_min_variables: int = 2


@dataclass(frozen=True)
class Suggestion:
    level: str
    reasons: tuple[str, ...]  # in Indonesian, for the page
    driving_codes: tuple[str, ...]  # the indicators that decided it


def suggest(present_codes: set[str], variable_of: dict[str, int], *, special_location: bool, rule: ClassRule) -> Suggestion:
    """The suggested class for one TPS whose present indicators are `present_codes`."""
    variables = sorted({variable_of[c] for c in present_codes if c in variable_of})
    severe = tuple(sorted(c for c in present_codes if c in rule.severe_codes))
    special = tuple(sorted(c for c in present_codes if c in rule.special_codes))
    if special_location or special:
        reasons = ("TPS tercatat berada di lokasi khusus.",) if special_location else ()
        reasons += (f"Indikator lokasi khusus ada: {', '.join(special)}.",) if special else ()
        return Suggestion(KHUSUS, reasons, special)
    if severe and len(variables) >= rule.sangat_rawan_min_variables:
        return Suggestion(
            SANGAT_RAWAN,
            (f"Indikator berat ada: {', '.join(severe)}.", f"{len(variables)} variabel kerawanan ada (batas {rule.sangat_rawan_min_variables})."),
            tuple(sorted(present_codes)),
        )
    if severe:
        return Suggestion(RAWAN, (f"Indikator berat ada: {', '.join(severe)}.",), severe)
    if len(variables) >= rule.rawan_min_variables:
        return Suggestion(RAWAN, (f"{len(variables)} variabel kerawanan ada (batas {rule.rawan_min_variables}).",), tuple(sorted(present_codes)))
    reasons = (f"{len(variables)} variabel kerawanan ada, tanpa indikator berat.",) if variables else ("Tidak ada indikator kerawanan.",)
    return Suggestion(KURANG_RAWAN, reasons, tuple(sorted(present_codes)))

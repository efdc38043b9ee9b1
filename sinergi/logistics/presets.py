"""The standard TPS kit of an election, from its ballot types (docs/domain.md §6).

Per TPS: ballots of each type (voters + reserve), one ballot box per ballot type, 4 voting
booths, 2 bottles of ink, one set of seals per box (cable ties and paper seals; the count per box
is not in our sources, so a set is the unit), and one forms kit (forms, envelopes, ID cards,
stationery, Braille templates).
"""

from sinergi.elections.models import Election
from sinergi.logistics.requirements import FIXED, VOTERS


def standard_kit(election: Election) -> list[dict]:
    """The kit as rows for KitItem (not saved)."""
    types = list(election.ballot_types.all())
    rows = [
        {"code": f"surat-suara-{t.code}", "name": f"Surat suara {t.name}", "unit": "lembar", "basis": VOTERS, "quantity": 0, "ballot_type": t}
        for t in types
    ]
    rows += [
        {"code": "kotak-suara", "name": "Kotak suara (satu per jenis surat suara)", "unit": "buah", "basis": FIXED, "quantity": len(types)},
        {"code": "bilik-suara", "name": "Bilik pemungutan suara", "unit": "buah", "basis": FIXED, "quantity": 4},
        {"code": "tinta", "name": "Tinta sidik jari", "unit": "botol", "basis": FIXED, "quantity": 2},
        {"code": "segel", "name": "Segel (satu set per kotak suara)", "unit": "set", "basis": FIXED, "quantity": len(types)},
        {"code": "formulir", "name": "Perlengkapan formulir, sampul dan alat bantu", "unit": "paket", "basis": FIXED, "quantity": 1},
    ]
    return [{**row, "ballot_type": row.get("ballot_type"), "order": n} for n, row in enumerate(rows)]

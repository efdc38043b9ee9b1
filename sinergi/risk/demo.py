"""Demo vulnerability checklists for Klungkung, Pemilu 2024 (generated, deterministic).

What is on record (docs/domain.md §4): four TPS rated sangat rawan by the police, two of them in
Banjarangkan and TPS 17 and 18 of Desa Ped (the adat case: villagers tried to stop 17 residents
from voting); many Nusa Penida TPS are on the coast or in the hills. Everything else is a
plausible invention at the rates below, through the ordinary checklist upload.
"""

import random

from sinergi.core.tabular import Table
from sinergi.elections.models import Election
from sinergi.risk.models import ChecklistAnswer, Indicator
from sinergi.risk.services import confirm_suggestions, import_checklists
from sinergi.stations.models import Station

NUSA_PENIDA = "51.05.01."
BANJARANGKAN = "51.05.02."
PED = "51.05.01.2010"
# indicator code -> (rate in Nusa Penida, rate on the mainland)
RATES = {
    "1.1": (0.35, 0.35),
    "1.2": (0.15, 0.25),
    "1.4": (0.04, 0.05),
    "5.2": (0.08, 0.0),  # late logistics: the crossings
    "6.1": (0.03, 0.05),
    "6.2": (0.45, 0.08),  # coast and hills
    "6.3": (0.01, 0.04),
    "6.4": (0.55, 0.02),  # hard to reach: islands, hills
    "7.1": (0.30, 0.05),
    "7.2": (0.10, 0.02),
}
FIXED = {
    (PED, 17): {"2.2", "1.1", "6.4"},
    (PED, 18): {"2.2", "1.1", "6.4"},
}


def seed(election: Election) -> int:
    # The catalogue came with the election (elections/setup.py).
    if election.slug != "pemilu-2024":
        return 0
    codes = list(Indicator.objects.filter(election=election).values_list("code", flat=True))
    rng = random.Random("sinergi-demo-risk-pemilu-2024")
    stations = list(Station.objects.filter(election=election, village__code__startswith="51.05.").order_by("village_id", "number"))
    banjarangkan = [s for s in stations if s.village_id.startswith(BANJARANGKAN)]
    fixed = dict(FIXED)
    # Two Banjarangkan TPS with a history of violence and of money handed out: sangat rawan.
    for station in rng.sample(banjarangkan, 2):
        fixed[(station.village_id, station.number)] = {"2.1", "3.1", "1.1"}
    # A TPS whose answers a joint visit wrote since (visits/demo.py) keeps them when the demo runs again.
    visited = set(ChecklistAnswer.objects.filter(station__election=election, visit__isnull=False).values_list("station_id", flat=True))
    rows = []
    for index, station in enumerate(stations, start=2):
        present = fixed.get((station.village_id, station.number))
        if present is None:
            island = station.village_id.startswith(NUSA_PENIDA)
            present = {code for code, rates in RATES.items() if rng.random() < rates[0 if island else 1]}
        if station.pk in visited:
            continue
        values = {"kode_desa": station.village_id, "nomor_tps": str(station.number)}
        values.update({code: "ya" if code in present else "tidak" for code in codes})
        rows.append((index, values))
    changed = import_checklists(actor=None, election=election, table=Table(["kode_desa", "nomor_tps", *codes], rows))
    confirm_suggestions(actor=None, election=election)
    return changed

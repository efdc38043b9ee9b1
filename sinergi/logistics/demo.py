"""Demo logistics for Klungkung.

The standard kit of every election comes with the election (elections/setup.py). Pemilu 2024
also: the district's reserves (1,000 re-vote ballots of each type, docs/domain.md §6, as if Klungkung
were one electoral district) and the distribution network as it ran in 2024 — the warehouse near GOR Swecapura; Padangbai → Sampalan/Mentigi by RoRo
for Nusa Penida; Kusamba → Jungutbatu by cargo boat for Lembongan and Ceningan. Points marked
approximate are estimates (the warehouse's exact site, Sampalan, Kusamba and Jungutbatu
landings); timetables and vehicle numbers are plausible figures, not published ones.
"""

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sinergi.elections.models import Election
from sinergi.logistics.custody import create_consignments, dispatch, record_handover
from sinergi.logistics.models import Consignment, DistributionPlan, KitItem
from sinergi.logistics.network import load_network
from sinergi.logistics.plans import make_plan
from sinergi.logistics.services import set_reserve
from sinergi.logistics.stored_plan import read_plan
from sinergi.regions.models import Region
from sinergi.stations.demo import CROSSING_RORO
from sinergi.stations.labels import tps_label

KLUNGKUNG = "51.05"
REVOTE_BALLOTS = 1_000

# The network as data (places, crossings, vehicles, rules), in the format `sinergi network` loads.
NETWORK = Path(__file__).resolve().parent / "data" / "klungkung-pemilu-2024.json"


def seed(election: Election) -> None:
    # The standard kit came with the election (elections/setup.py).
    if election.slug != "pemilu-2024":
        return
    district = Region.objects.get(code=KLUNGKUNG)
    for code in KitItem.objects.filter(election=election, basis=KitItem.Basis.VOTERS).values_list("code", flat=True):
        set_reserve(actor=None, election=election, region=district, item_code=code, quantity=REVOTE_BALLOTS)
    seed_network(election)


def seed_network(election: Election) -> None:
    district = Region.objects.get(code=KLUNGKUNG)
    load_network(actor=None, election=election, district=district, document=json.loads(NETWORK.read_text(encoding="utf-8")))


def seed_plan(election: Election) -> DistributionPlan | None:
    """The first distribution plan of the demo (computed once; `sinergi demo` calls it)."""
    if election.slug != "pemilu-2024" or DistributionPlan.objects.filter(election=election).exists():
        return None
    return make_plan(actor=None, election=election, district=Region.objects.get(code=KLUNGKUNG), reason="Rencana awal (demo)")


def seed_custody(election: Election) -> int:
    """Part of the 2024 custody chain, so the status board shows progress and one discrepancy: every
    Nusa Penida kit dispatched on H-3 and handed to its village store (PPS) when the plan's convoy
    arrives; the RoRo villages' PPS hand on to their KPPS on H-2, except that Desa Ped's TPS 1 counts
    3 DPR ballots short. The mainland kits are still at the warehouse. Returns the handovers made."""
    if election.slug != "pemilu-2024" or Consignment.objects.filter(election=election).exists():
        return 0
    plan = DistributionPlan.objects.filter(election=election).first()
    if plan is None:
        return 0
    create_consignments(actor=None, election=election)
    tz = ZoneInfo(election.time_zone)
    consignments = {c.station_id: c for c in Consignment.objects.filter(election=election).select_related("station__village")}
    made = 0
    for convoy in read_plan(plan.data, tz).convoys:
        if convoy.kind != "pulau":
            continue
        for stop in convoy.stops:
            for sid in stop.station_ids:
                c = consignments[sid]
                village = c.station.village.name
                dispatch(actor=None, consignment=c, seals=[f"KLK-{sid:05d}-A", f"KLK-{sid:05d}-B"], at=convoy.stops[0].depart)
                record_handover(
                    actor=None, consignment=c, from_party=c.holder, to_party=f"pps:{c.station.village_id}", place=f"Kantor Desa {village}",
                    handed_at=stop.arrive, giver_name="Petugas logistik KPU Klungkung",
                    receiver_name=f"Ketua PPS {village}", witness_bawaslu=f"PKD {village}", witness_police=f"Bhabinkamtibmas {village}",
                )  # fmt: skip
                made += 1
                if convoy.crossing != CROSSING_RORO:
                    continue
                c.refresh_from_db()
                short = {"surat-suara-dpr": c.contents["surat-suara-dpr"] - 3} if (village, c.station.number) == ("Ped", 1) else None
                record_handover(
                    actor=None, consignment=c, from_party=c.holder, to_party=f"kpps:{sid}", place=tps_label(c.station.number, village),
                    handed_at=datetime(2024, 2, 12, 9, 0, tzinfo=tz) + timedelta(minutes=3 * c.station.number), counts=short,
                    giver_name=f"Ketua PPS {village}", receiver_name=f"Ketua KPPS TPS {c.station.number:03d}", witness_bawaslu=f"PTPS TPS {c.station.number:03d}",
                    witness_police="Linmas TPS",
                )  # fmt: skip
                made += 1
    return made

"""Demo TPS for Klungkung, generated (estimated) and written through the ordinary import.

Published facts it reproduces (docs/domain.md §3): Pemilu 2024 had 649 TPS, 198 of them in Nusa
Penida, and 167,052 voters; Pilkada 2024 had 335 TPS and about 168,793 voters. The split of the
mainland TPS over the three kecamatan is not published: it follows the 2020 census population.
Everything else (TPS per village, voters per TPS, points) is generated and marked estimated.
"""

from dataclasses import dataclass

from sinergi.core.tabular import Table
from sinergi.elections.models import Election
from sinergi.regions.models import Region
from sinergi.stations import fileformat as ff
from sinergi.stations.demo_layout import VillageSpec, allocate, generate
from sinergi.stations.services import ImportResult, import_stations

NUSA_PENIDA = "51.05.01"
MAINLAND_POPULATION_2020 = {"51.05.02": 44_431, "51.05.03": 64_235, "51.05.04": 40_889}
DESA_PED = "51.05.01.2010"
PED_PLACE = "Bale Banjar Sental Kangin, Desa Ped"
LEMBONGAN_ISLAND_VILLAGES = {"Jungutbatu", "Lembongan"}  # Nusa Ceningan belongs to Desa Lembongan
CROSSING_RORO = "Padangbai – Sampalan/Mentigi (kapal RoRo)"
CROSSING_BOAT = "Kusamba – Nusa Lembongan (perahu barang)"


@dataclass(frozen=True)
class DemoTarget:
    stations: int
    island_stations: int
    voters: int


TARGETS = {
    "pemilu-2024": DemoTarget(stations=649, island_stations=198, voters=167_052),
    # Nusa Penida's Pilkada count is not published: its Pemilu share (198/649) is used.
    "pilkada-2024": DemoTarget(stations=335, island_stations=102, voters=168_793),
}


def _village_specs(district_code: str) -> list[VillageSpec]:
    villages = Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=district_code + ".").order_by("code")
    return [
        VillageSpec(code=v.code, name=v.name, kecamatan_code=v.parent_id, geometry=v.geometry, interior=(v.interior_lat, v.interior_lon))
        for v in villages
    ]


def _access(village: VillageSpec) -> tuple[str, str]:
    if village.kecamatan_code != NUSA_PENIDA:
        return "darat", ""
    return "laut", CROSSING_BOAT if village.name in LEMBONGAN_ISLAND_VILLAGES else CROSSING_RORO


def seed(election: Election, kecamatan_code: str) -> ImportResult:
    target = TARGETS[election.slug]
    villages = _village_specs(kecamatan_code)
    mainland = allocate(target.stations - target.island_stations, list(MAINLAND_POPULATION_2020.values()))
    per_kecamatan = {NUSA_PENIDA: target.island_stations, **dict(zip(MAINLAND_POPULATION_2020, mainland, strict=True))}
    stations = generate(
        villages,
        stations_per_kecamatan=per_kecamatan,
        total_voters=target.voters,
        max_voters=election.max_voters_per_station,
        seed=f"sinergi-demo-{election.slug}",
        # Desa Ped's TPS 17 and 18 are real places in the record (the 2024 adat case).
        minimum_per_village={DESA_PED: 18} if election.kind == Election.Kind.PEMILU else {},
        named_places={(DESA_PED, 17): PED_PLACE, (DESA_PED, 18): PED_PLACE} if election.kind == Election.Kind.PEMILU else {},
    )
    by_code = {v.code: v for v in villages}
    rows = []
    for index, station in enumerate(stations, start=2):
        access, crossing = _access(by_code[station.village_code])
        values = {
            "kode_desa": station.village_code,
            "nomor_tps": str(station.number),
            "lokasi": station.place,
            "latitude": ff.format_coordinate(station.latitude),
            "longitude": ff.format_coordinate(station.longitude),
            "pemilih": str(station.voters),
            "akses": access,
            "penyeberangan": crossing,
            "lokasi_khusus": "tidak",
            "koordinat_perkiraan": "ya",
        }
        rows.append((index, values))
    return import_stations(actor=None, election=election, table=Table(headers=list(ff.COLUMNS), rows=rows), source=f"demo:{election.slug}")

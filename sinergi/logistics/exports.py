"""Logistics requirements as CSV (one row per TPS and item) and Excel (per TPS, village and kecamatan, per district for a
wider viewer, and the recap with the districts' reserves).

`csv_rows` and `xlsx_sheets` write them as the TPS are read (`requirement_queries.station_rows`,
with the totals summed by the database, `requirement_totals`): constant memory at national size
(`sinergi logistics-requirements`, the downloads).
"""

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from sinergi.core.streaming import Sheet, table_sheet
from sinergi.core.writing import write_xlsx_sheets
from sinergi.logistics.plans import VisiblePlan
from sinergi.logistics.requirements import Item, Requirements, station_needs
from sinergi.regions.codes import DISTRICT, PROVINCE

CSV_COLUMNS = ["kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa", "nomor_tps", "pemilih", "kode_barang", "barang", "satuan", "jumlah"]
REGION_SHEETS = {PROVINCE: "Per provinsi", DISTRICT: "Per kabupaten-kota"}
RECAP_COLUMNS = ["kode_barang", "barang", "satuan", "untuk_tps", "cadangan_kabupaten", "jumlah"]


def csv_rows(items: list[Item], reserve_percent: Decimal, stations: Iterable[tuple]) -> Iterator[list[object]]:
    """The CSV's rows, one per TPS and item, from `station_rows` tuples."""
    for kecamatan, kecamatan_name, village, village_name, number, voters in stations:
        needs = station_needs(voters, items, reserve_percent)
        for item in items:
            yield [kecamatan, kecamatan_name, village, village_name, number, voters, item.code, item.name, item.unit, needs[item.code]]


def xlsx_sheets(totals: Requirements, reserve_percent: Decimal, stations: Iterable[tuple], names: dict[str, str], regions=None) -> Iterator[Sheet]:
    """The workbook's sheets: per TPS (from `station_rows` tuples, read as written), per village,
    per kecamatan, for a viewer wider than a district one row per district (per province for the
    whole country) with its own reserves and the total (`regions`:
    `district_totals.requirements_by_region`), and the recap (from `requirement_totals`); `names`:
    region code -> name."""
    codes = [item.code for item in totals.items]
    per_tps = ([*station, *(needs[c] for c in codes)] for station in stations for needs in [station_needs(station[5], totals.items, reserve_percent)])
    yield table_sheet("Per TPS", ["kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa", "nomor_tps", "pemilih", *codes], per_tps)
    yield table_sheet("Per desa", ["kode_desa", "nama_desa", "tps", "pemilih", *codes], _area_rows(totals.by_village, names, codes))
    yield table_sheet("Per kecamatan", ["kode_kecamatan", "nama_kecamatan", "tps", "pemilih", *codes], _area_rows(totals.by_kecamatan, names, codes))
    if regions is not None:
        level = "provinsi" if regions.level == PROVINCE else "kabupaten_kota"
        yield table_sheet(REGION_SHEETS[regions.level], [f"kode_{level}", f"nama_{level}", "tps", "pemilih", *codes], _region_rows(regions.rows, codes))
    yield table_sheet("Rekap", RECAP_COLUMNS, _recap(totals))


def _region_rows(regions: Sequence, codes: list[str]) -> list[list[object]]:
    """One row per region (its TPS's kit and its own reserves), then the total of them all."""
    rows = [[d.code, d.name, d.stations, d.voters, *(d.items[c] for c in codes)] for d in regions]
    return [*rows, ["", "JUMLAH", *(sum(row[i] for row in rows) for i in range(2, 4 + len(codes)))]]


def _area_rows(buckets, names: dict[str, str], codes: list[str]) -> Iterator[list[object]]:
    for code, t in buckets.items():
        yield [code, names.get(code, code), t.stations, t.voters, *(t.items[c] for c in codes)]


def _recap(result: Requirements) -> list[list[object]]:
    return [[item.code, item.name, item.unit, result.total.items[item.code], result.reserves.get(item.code, 0), result.grand_total(item.code)] for item in result.items]


KIND_NAMES = {"darat": "daratan", "pulau": "di pulau", "pengumpan": "pengumpan ke dermaga", "perahu": "perahu barang"}


def plan_xlsx(visible: VisiblePlan) -> bytes:
    """The distribution plan as the viewer may see it (`plans.plan_for`): one sheet of convoys, one
    of their stops in order, one of late TPS."""
    convoys, stops = [], []
    for c in visible.convoys:
        convoys.append(
            [c.id, c.day.isoformat(), KIND_NAMES.get(c.kind, c.kind), c.vehicle, c.capacity, c.kits, c.other_stations, c.escort, c.water_escort, c.crossing, c.departure_time]
        )
        for n, stop in enumerate(c.stops, start=1):
            place = "kembali memuat di gudang" if stop.is_reload else stop.place
            tps = ", ".join(visible.label(sid) for sid in stop.station_ids)
            stops.append([c.id, n, place, stop.village_code, stop.arrive_time, stop.depart_time, stop.kits, tps])
    late = [[e.label, f"{e.planned_day} {e.planned_time}" if e.planned else "", e.late_minutes if e.late_minutes is not None else "tidak terlayani"] for e in visible.late]
    return write_xlsx_sheets(
        [
            ("Konvoi", ["konvoi", "hari", "jenis", "kendaraan", "kapasitas_paket", "paket", "tps_kecamatan_lain", "pengawalan", "polair", "penyeberangan", "berangkat"], convoys),
            ("Perhentian", ["konvoi", "urutan", "tempat", "kode_desa", "tiba", "berangkat", "paket", "tps"], stops),
            ("Terlambat", ["tps", "rencana_tiba", "terlambat_menit"], late),
        ]
    )

"""The network document's format (docs/logistics.md): what each section and rule may hold, and
`parse_network`, which checks a whole document and names every problem by its place
(`penyeberangan[2].berangkat`). It reads the models' choices but runs no query: `network.py` loads,
exports and writes."""

import json
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from sinergi.core.geo import inside_indonesia
from sinergi.logistics.models import Crossing, Place, VehicleGroup

TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
RULES = {
    # document key -> (PlanSettings field, kind)
    "pulau_mulai_h": ("island_days_before", int),
    "daratan_mulai_h": ("mainland_days_before", int),
    "tenggat_h": ("deadline_days_before", int),
    "jam_mulai": ("work_start", "time"),
    "jam_selesai": ("work_end", "time"),
    "rute_maks_menit": ("max_route_min", int),
    "faktor_jalan": ("detour_factor", "decimal"),
    "tim_kawal_darat": ("road_escorts", int),
    "tim_polair": ("water_escorts", int),
}



class _Checker:
    def __init__(self):
        self.errors: list[str] = []

    def text(self, where: str, value, limit: int) -> str:
        if not isinstance(value, str) or not value.strip() or len(value) > limit or "\x00" in value:
            self.errors.append(f"{where}: isi teks 1–{limit} karakter.")
            return ""
        return value.strip()

    def whole(self, where: str, value, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.errors.append(f"{where}: isi bilangan bulat {low}–{high}.")
            return low
        return value

    def choice(self, where: str, value, choices) -> str:
        if value not in choices:
            self.errors.append(f"{where}: '{value}' tidak dikenal; pilih salah satu: {', '.join(choices)}.")
        return value

    def flag(self, where: str, value) -> bool:
        if not isinstance(value, bool):
            self.errors.append(f"{where}: isi true atau false.")
            return False
        return value


def parse_network(document) -> dict:
    """Validate a network document; raises ValidationError listing every problem, in Indonesian,
    each named by its place in the document (e.g. `penyeberangan[1].berangkat`)."""
    check = _Checker()
    if not isinstance(document, dict):
        raise ValidationError(["Dokumen jaringan harus berupa objek JSON dengan bagian tempat, penyeberangan, kendaraan dan aturan."])
    for section in ("tempat", "penyeberangan", "kendaraan"):
        if not isinstance(document.get(section, []), list):
            check.errors.append(f"{section}: harus berupa daftar.")
    if check.errors:
        raise ValidationError(check.errors)
    places, keys = [], set()
    for n, row in enumerate(document.get("tempat", [])):
        where = f"tempat[{n}]"
        if not isinstance(row, dict):
            check.errors.append(f"{where}: harus berupa objek.")
            continue
        key = check.text(f"{where}.kode", row.get("kode"), 60)
        if key and not re.fullmatch(r"[a-z0-9-]+", key):
            check.errors.append(f"{where}.kode: pakai huruf kecil, angka dan tanda hubung saja.")
        if key in keys:
            check.errors.append(f"{where}.kode: '{key}' sudah dipakai tempat lain; kode harus unik.")
        keys.add(key)
        lat, lon = row.get("lintang"), row.get("bujur")
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)) or not inside_indonesia(lat, lon):
            check.errors.append(f"{where}: lintang/bujur harus angka di wilayah Indonesia.")
        places.append(
            {
                "key": key,
                "name": check.text(f"{where}.nama", row.get("nama"), 150),
                "kind": check.choice(f"{where}.jenis", row.get("jenis"), Place.Kind.values),
                "latitude": lat,
                "longitude": lon,
                "approximate": check.flag(f"{where}.perkiraan", row.get("perkiraan", False)),
            }
        )
    warehouses = [p["key"] for p in places if p["kind"] == Place.Kind.WAREHOUSE]
    if not warehouses:
        check.errors.append("tempat: perlu satu gudang KPU (jenis 'gudang').")
    elif len(warehouses) > 1:
        check.errors.append(
            f"tempat: hanya satu gudang KPU (jenis 'gudang') per kabupaten/kota yang dipakai rencana; ada {len(warehouses)}: {', '.join(warehouses)}. "
            "Jadikan yang lain gudang PPK/PPS (jenis 'gudang_ppk'), atau muat jaringan kabupaten/kota lain dengan --district."
        )
    crossings, names = [], set()
    for n, row in enumerate(document.get("penyeberangan", [])):
        where = f"penyeberangan[{n}]"
        if not isinstance(row, dict):
            check.errors.append(f"{where}: harus berupa objek.")
            continue
        name = check.text(f"{where}.nama", row.get("nama"), 120)
        if name in names:
            check.errors.append(f"{where}.nama: '{name}' sudah dipakai penyeberangan lain; nama harus unik.")
        names.add(name)
        for end in ("dari", "ke"):
            if row.get(end) not in keys:
                check.errors.append(f"{where}.{end}: '{row.get(end)}' bukan kode tempat di bagian tempat.")
        if row.get("dari") in keys and row.get("dari") == row.get("ke"):
            check.errors.append(f"{where}.ke: sama dengan tempat asal ('{row.get('ke')}'); penyeberangan menghubungkan dua tempat yang berbeda.")
        departures = row.get("berangkat")
        if not isinstance(departures, list) or not departures:
            check.errors.append(f"{where}.berangkat: daftar jam keberangkatan seperti [\"09:00\", \"13:00\"].")
            departures = []
        elif bad := [t for t in departures if not (isinstance(t, str) and TIME.match(t))]:
            shown = ", ".join(f"'{t}'" if isinstance(t, str) else json.dumps(t) for t in bad)
            check.errors.append(f"{where}.berangkat: {shown} bukan jam JJ:MM (00:00–23:59); tulis seperti \"09:00\".")
            departures = []
        crossings.append(
            {
                "name": name,
                "origin": row.get("dari"),
                "destination": row.get("ke"),
                "mode": check.choice(f"{where}.moda", row.get("moda"), Crossing.Mode.values),
                "duration_min": check.whole(f"{where}.menit", row.get("menit"), 1, 24 * 60),
                "departures": sorted(set(departures)),
                "capacity": check.whole(f"{where}.kapasitas", row.get("kapasitas"), 1, 10_000),
            }
        )
    vehicles, vehicle_names = [], set()
    for n, row in enumerate(document.get("kendaraan", [])):
        where = f"kendaraan[{n}]"
        if not isinstance(row, dict):
            check.errors.append(f"{where}: harus berupa objek.")
            continue
        name = check.text(f"{where}.nama", row.get("nama"), 60)
        if name in vehicle_names:
            check.errors.append(f"{where}.nama: '{name}' sudah dipakai kelompok kendaraan lain; nama harus unik.")
        vehicle_names.add(name)
        if row.get("pangkalan") not in keys:
            check.errors.append(f"{where}.pangkalan: '{row.get('pangkalan')}' bukan kode tempat di bagian tempat.")
        vehicles.append(
            {
                "name": name,
                "kind": check.choice(f"{where}.jenis", row.get("jenis"), VehicleGroup.Kind.values),
                "count": check.whole(f"{where}.jumlah", row.get("jumlah"), 0, 10_000),
                "capacity": check.whole(f"{where}.kapasitas", row.get("kapasitas"), 1, 10_000),
                "speed_kmh": check.whole(f"{where}.kecepatan", row.get("kecepatan"), 5, 120),
                "base": row.get("pangkalan"),
                "reloads": check.flag(f"{where}.muat_ulang", row.get("muat_ulang", False)),
            }
        )
    rules = {}
    given = document.get("aturan", {})
    if not isinstance(given, dict):
        check.errors.append("aturan: harus berupa objek.")
        given = {}
    for key in sorted(set(given) - set(RULES)):
        check.errors.append(f"aturan.{key}: tidak dikenal; yang dikenal: {', '.join(RULES)}.")
    for key, (field, kind) in RULES.items():
        if key not in given:
            continue
        value = given[key]
        if kind == "time":
            if not isinstance(value, str) or not TIME.match(value):
                check.errors.append(f"aturan.{key}: jam seperti \"07:00\".")
                continue
        elif kind == "decimal":
            try:
                value = Decimal(str(value))
            except InvalidOperation:
                value = Decimal(0)
            if isinstance(given[key], bool) or not Decimal("1.00") <= value <= Decimal("3.00"):
                check.errors.append(f"aturan.{key}: angka 1,00–3,00.")
                continue
        else:
            value = check.whole(f"aturan.{key}", value, 0, 10_000)
        rules[field] = value
    if "work_start" in rules and "work_end" in rules and rules["work_end"] <= rules["work_start"]:
        check.errors.append(f"aturan.jam_selesai: {rules['work_end']} harus setelah jam_mulai {rules['work_start']}.")
    if check.errors:
        raise ValidationError(check.errors)
    return {"places": places, "crossings": crossings, "vehicles": vehicles, "rules": rules}

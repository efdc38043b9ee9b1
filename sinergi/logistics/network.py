"""The distribution network of an election as one document (JSON): places, crossings, vehicles and
the plan's rules. Loading replaces the network, all or nothing; exporting writes what loading
reads (a round trip changes nothing). The format: docs/logistics.md."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, record
from sinergi.core.geo import inside_indonesia
from sinergi.elections.models import Election
from sinergi.logistics.models import Crossing, Place, PlanSettings, VehicleGroup

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


def export_network(election: Election) -> dict:
    settings = PlanSettings.objects.filter(election=election).first() or PlanSettings(election=election)
    return {
        "tempat": [
            {"kode": p.key, "nama": p.name, "jenis": p.kind, "lintang": p.latitude, "bujur": p.longitude, "perkiraan": p.approximate}
            for p in Place.objects.filter(election=election).order_by("key")
        ],
        "penyeberangan": [
            {"nama": c.name, "dari": c.origin.key, "ke": c.destination.key, "moda": c.mode, "menit": c.duration_min, "berangkat": c.departures, "kapasitas": c.capacity}
            for c in Crossing.objects.filter(election=election).select_related("origin", "destination").order_by("name")
        ],
        "kendaraan": [
            {"nama": v.name, "jenis": v.kind, "jumlah": v.count, "kapasitas": v.capacity, "kecepatan": v.speed_kmh, "pangkalan": v.base.key, "muat_ulang": v.reloads}
            for v in VehicleGroup.objects.filter(election=election).select_related("base").order_by("name")
        ],
        "aturan": {
            key: (getattr(settings, field).strftime("%H:%M") if kind == "time" else float(getattr(settings, field)) if kind == "decimal" else getattr(settings, field))
            for key, (field, kind) in RULES.items()
        },
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
            check.errors.append(f"{where}.kode: '{key}' muncul dua kali.")
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
    if not any(p["kind"] == Place.Kind.WAREHOUSE for p in places):
        check.errors.append("tempat: perlu satu gudang KPU (jenis 'gudang').")
    crossings, names = [], set()
    for n, row in enumerate(document.get("penyeberangan", [])):
        where = f"penyeberangan[{n}]"
        if not isinstance(row, dict):
            check.errors.append(f"{where}: harus berupa objek.")
            continue
        name = check.text(f"{where}.nama", row.get("nama"), 120)
        if name in names:
            check.errors.append(f"{where}.nama: '{name}' muncul dua kali.")
        names.add(name)
        for end in ("dari", "ke"):
            if row.get(end) not in keys:
                check.errors.append(f"{where}.{end}: '{row.get(end)}' bukan kode tempat di bagian tempat.")
        departures = row.get("berangkat")
        if not isinstance(departures, list) or not departures or not all(isinstance(t, str) and TIME.match(t) for t in departures):
            check.errors.append(f"{where}.berangkat: daftar jam keberangkatan seperti [\"09:00\", \"13:00\"].")
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
            check.errors.append(f"{where}.nama: '{name}' muncul dua kali.")
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
    if check.errors:
        raise ValidationError(check.errors)
    return {"places": places, "crossings": crossings, "vehicles": vehicles, "rules": rules}


def load_network(*, actor: User | None, election: Election, document) -> dict:
    """Replace the election's network with the document's, all or nothing (closures of crossings
    that disappear go with them). Returns the counts per section."""
    if actor is not None:
        require(actor, Perm.MANAGE_LOGISTICS)
    parsed = parse_network(document)
    with transaction.atomic(durable=True):
        before = export_network(election)
        places = {}
        for row in parsed["places"]:
            places[row["key"]], _ = Place.objects.update_or_create(election=election, key=row["key"], defaults={k: v for k, v in row.items() if k != "key"})
        names = [c["name"] for c in parsed["crossings"]]
        Crossing.objects.filter(election=election).exclude(name__in=names).delete()
        for row in parsed["crossings"]:
            values = {**row, "origin": places[row["origin"]], "destination": places[row["destination"]]}
            Crossing.objects.update_or_create(election=election, name=row["name"], defaults={k: v for k, v in values.items() if k != "name"})
        VehicleGroup.objects.filter(election=election).exclude(name__in=[v["name"] for v in parsed["vehicles"]]).delete()
        for row in parsed["vehicles"]:
            values = {**row, "base": places[row["base"]]}
            VehicleGroup.objects.update_or_create(election=election, name=row["name"], defaults={k: v for k, v in values.items() if k != "name"})
        Place.objects.filter(election=election).exclude(key__in=list(places)).delete()
        PlanSettings.objects.update_or_create(election=election, defaults=parsed["rules"])
        after = export_network(election)
        if after != before:
            summary = {section: [len(before[section]), len(after[section])] for section in ("tempat", "penyeberangan", "kendaraan")}
            summary["aturan"] = [before["aturan"], after["aturan"]] if before["aturan"] != after["aturan"] else None
            record(actor=actor, changes=[Change("network.load", "elections.election", election.pk, election.name, election.slug, {k: v for k, v in summary.items() if v})])
    return {"tempat": len(parsed["places"]), "penyeberangan": len(parsed["crossings"]), "kendaraan": len(parsed["vehicles"])}

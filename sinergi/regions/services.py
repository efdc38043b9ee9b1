"""Loading regions (codes, names, points, polygons) from a CSV of places and a GeoJSON of villages."""

import json
from dataclasses import dataclass

from django.db import transaction

from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, diff, record
from sinergi.core import geo
from sinergi.core.tabular import InputRejected, RowError, UnreadableFile, read_table
from sinergi.regions import codes
from sinergi.regions.models import Region

REGION_KINDS = {kind for kinds in codes.KINDS_BY_LEVEL.values() for kind in kinds}
_FIELDS = ("parent", "level", "kind", "name", "centroid_lat", "centroid_lon", "interior_lat", "interior_lon", "boundary", "area_km2", "source")


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    def summary(self) -> str:
        return (
            f"{self.created} wilayah baru, {self.updated} diperbarui, {self.unchanged} tidak berubah"
            + (f", {self.skipped} baris bukan wilayah dilewati (mis. pelabuhan)." if self.skipped else ".")
        )


def _number(value, where: tuple[int | None, str], errors: list[RowError]) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        errors.append(RowError(where[0], where[1], f"'{value}' bukan angka desimal; gunakan titik sebagai pemisah, mis. -8.5353."))
        return None


def _read_places(filename: str, content: bytes, found: dict[str, dict], errors: list[RowError], result: LoadResult) -> None:
    table = read_table(filename, content, required=("code", "name", "kind"), known=("lat", "lon", "source"))
    missing = [column for column in ("code", "name", "kind") if column not in table.headers]
    for column in missing:
        errors.append(RowError(table.header_row, column, f"{filename}: kolom wajib '{column}' tidak ada pada baris judul."))
    if missing:
        return
    for row_no, row in table.rows:
        kind = row["kind"].lower()
        if kind not in REGION_KINDS:
            result.skipped += 1
            continue
        entry = found.setdefault(row["code"], {"row": row_no, "file": filename})
        entry.update(name=row["name"], kind=kind, source=row.get("source", "")[:500])
        entry["centroid_lat"] = _number(row.get("lat"), (row_no, "lat"), errors)
        entry["centroid_lon"] = _number(row.get("lon"), (row_no, "lon"), errors)


def _read_boundaries(filename: str, content: bytes, found: dict[str, dict], errors: list[RowError]) -> None:
    try:
        collection = json.loads(content)
        features = collection["features"]
    except (ValueError, KeyError, TypeError):
        errors.append(RowError(None, None, f"{filename}: bukan GeoJSON FeatureCollection yang valid."))
        return
    for index, feature in enumerate(features, start=1):
        where = f"{filename} fitur {index}"
        properties = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        code = str(properties.get("code", ""))
        if geometry.get("type") not in {"Polygon", "MultiPolygon"}:
            errors.append(RowError(index, "geometry", f"{where}: geometri harus Polygon atau MultiPolygon."))
            continue
        if not geo.is_valid_geometry(geometry):
            errors.append(RowError(index, "geometry", f"{where}: koordinat geometri tidak lengkap (setiap cincin perlu paling sedikit 4 titik [bujur, lintang])."))
            continue
        entry = found.setdefault(code, {"row": index, "file": filename})
        entry.setdefault("name", properties.get("name", ""))
        entry.setdefault("kind", str(properties.get("kind", "")).lower())
        entry.setdefault("source", str(collection.get("source", ""))[:500])
        for key in ("centroid_lat", "centroid_lon"):
            if entry.get(key) is None:
                entry[key] = _number(properties.get(key), (index, key), errors)
        entry["interior_lat"] = _number(properties.get("interior_lat"), (index, "interior_lat"), errors)
        entry["interior_lon"] = _number(properties.get("interior_lon"), (index, "interior_lon"), errors)
        entry["area_km2"] = _number(properties.get("area_km2"), (index, "area_km2"), errors)
        entry["boundary"] = json.dumps(geometry, separators=(",", ":"))


def load_regions(*, actor, files: list[tuple[str, bytes]]) -> LoadResult:
    """Create or update regions from CSV place lists and GeoJSON village polygons, all or nothing.

    A CSV has columns code, name, kind (provinsi, kabupaten, kota, kecamatan, desa, kelurahan;
    other kinds such as harbour are skipped), lat, lon, source. A GeoJSON FeatureCollection has
    one feature per village with properties code, name, kind, centroid_lat/lon, interior_lat/lon,
    area_km2. Every parent must exist already or be in the same load.
    """
    if actor is not None:
        require(actor, Perm.MANAGE_REGIONS)
    result = LoadResult()
    found: dict[str, dict] = {}
    errors: list[RowError] = []
    for filename, content in files:
        try:
            if filename.lower().endswith((".geojson", ".json")):
                _read_boundaries(filename, content, found, errors)
            else:
                _read_places(filename, content, found, errors, result)
        except UnreadableFile as error:
            errors.append(RowError(None, None, f"{filename}: {error}"))
    known = set(Region.objects.values_list("code", flat=True))
    for code, entry in found.items():
        where = (entry["row"], "code")
        if not codes.is_valid(code):
            errors.append(RowError(*where, f"{entry['file']}: kode '{code}' bukan kode Kemendagri (bentuk 51, 51.05, 51.05.01 atau 51.05.01.2001)."))
            continue
        if entry.get("kind") not in codes.expected_kind(code):
            allowed = " atau ".join(sorted(codes.expected_kind(code)))
            errors.append(RowError(entry["row"], "kind", f"{entry['file']}: jenis '{entry.get('kind')}' tidak sesuai dengan kode {code}; seharusnya {allowed}."))
        if not entry.get("name"):
            errors.append(RowError(entry["row"], "name", f"{entry['file']}: nama wilayah {code} kosong."))
        parent = codes.parent_of(code)
        if parent is not None and parent not in known and parent not in found:
            errors.append(RowError(*where, f"{entry['file']}: induk {parent} dari {code} belum ada. Sertakan baris {parent} atau muat lebih dulu."))
    if errors:
        raise InputRejected(errors)
    with transaction.atomic(durable=True):
        existing = Region.objects.in_bulk(list(found))
        changes = []
        for code in sorted(found, key=lambda c: (codes.level_of(c), c)):
            entry = found[code]
            wanted = {name: entry.get(name) for name in _FIELDS}
            wanted.update(parent=codes.parent_of(code), level=codes.level_of(code), boundary=entry.get("boundary") or "", source=entry.get("source") or "")
            region = existing.get(code)
            before = {name: (region.parent_id if name == "parent" else getattr(region, name)) for name in _FIELDS} if region else {}
            if before == wanted:
                result.unchanged += 1
                continue
            values = {("parent_id" if k == "parent" else k): v for k, v in wanted.items()}
            Region.objects.update_or_create(code=code, defaults=values)
            result.created += region is None
            result.updated += region is not None
            changed = diff(before, wanted)
            if "boundary" in changed:
                changed["boundary"] = ["…", "…"]  # the polygon itself is too long for the log
            changes.append(Change("region.save", "regions.region", code, entry["name"], changes=changed, region=code))
        record(actor=actor, changes=changes)
    return result

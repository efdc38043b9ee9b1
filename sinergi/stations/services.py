"""Writes to the TPS registry: the import (web, command line and demo all go through it)."""

import json
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, diff, record
from sinergi.core import geo
from sinergi.core.tabular import InputRejected, RowError, Table, UnreadableFile, read_table
from sinergi.elections.models import Election
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import villages_by_code
from sinergi.stations import fileformat as ff
from sinergi.stations.labels import tps_label
from sinergi.stations.models import Station
from sinergi.stations.rows import STORED_FIELDS, StationRow, parse_rows


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[RowError] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        return f"{self.created} TPS baru, {self.updated} diperbarui, {self.unchanged} tidak berubah."


def import_stations_file(*, actor: User | None, election: Election, filename: str, content: bytes, dry_run: bool = False) -> ImportResult:
    """Read a .csv/.xlsx TPS file and apply it (or, `dry_run`, only count what it would do); see `import_stations`."""
    try:
        table = read_table(filename, content, required=ff.REQUIRED, known=ff.COLUMNS)
    except UnreadableFile as error:
        raise InputRejected([RowError(None, None, str(error))]) from None
    return import_stations(actor=actor, election=election, table=table, source=filename, dry_run=dry_run)


def import_stations(*, actor: User | None, election: Election, table: Table, source: str, dry_run: bool = False) -> ImportResult:
    """Create or update the TPS of `election` listed in `table`, all or nothing.

    Raises InputRejected with every bad row when any row is wrong; nothing is written then. TPS
    not in the file are left as they are. `actor` None means the system (the demo loader).
    """
    if actor is not None:
        require(actor, Perm.IMPORT_STATIONS)
    area = actor.area_code if actor is not None else None
    # Only the villages the file names (and the importer may touch): a national table holds
    # 83,731 villages with their polygons.
    villages = villages_by_code(area, (values.get("kode_desa", "").strip() for _, values in table.rows))
    rows, errors = parse_rows(
        table,
        village_codes=set(villages),
        max_voters=election.max_voters_per_station,
        election_name=election.name,
    )
    if errors:
        raise InputRejected(errors)
    ignored = [RowError(table.header_row, name, f"Kolom '{name}' tidak dikenal, jadi isinya tidak disimpan. Kolom yang dikenal: {', '.join(ff.COLUMNS)}.") for name in table.unknown]
    result = ImportResult(warnings=ignored + _points_outside_village(rows, villages))
    if dry_run:
        # The preview before the user confirms (stations/views.py): the same checks, counts, no write.
        _count(election=election, rows=rows, result=result)
        return result
    try:
        with transaction.atomic(durable=True):
            _apply(actor=actor, election=election, rows=rows, villages=villages, source=source, result=result)
    except IntegrityError:
        # Another import created the same TPS at the same moment; ours was rolled back whole.
        raise InputRejected(
            [RowError(None, None, "TPS yang sama sedang diimpor oleh pengguna lain pada saat yang sama. Tidak ada yang disimpan; ulangi impor.")]
        ) from None
    return result


def _apply(*, actor, election: Election, rows: list[StationRow], villages: dict[str, Region], source: str, result: ImportResult) -> None:
    existing = {}
    codes = sorted({row.village_code for row in rows})
    for start in range(0, len(codes), 500):  # batches: SQLite caps the parameters of one query
        chunk = Station.objects.select_for_update().filter(election=election, village_id__in=codes[start : start + 500])
        existing.update({(station.village_id, station.number): station for station in chunk})
    to_create, to_update, changes = [], [], []
    for row in rows:
        wanted = row.values()
        station = existing.get((row.village_code, row.number))
        if station is None:
            to_create.append(Station(election=election, village_id=row.village_code, number=row.number, **wanted))
            continue
        before = {name: getattr(station, name) for name in wanted}
        if before == wanted:
            result.unchanged += 1
            continue
        for name, value in wanted.items():
            setattr(station, name, value)
        to_update.append(station)
        changes.append(Change("station.update", "stations.station", station.pk, _label(station, villages), election.slug, diff(before, wanted), station.village_id))
    # SQLite and PostgreSQL both return the new keys from a bulk insert (RETURNING).
    for station in Station.objects.bulk_create(to_create, batch_size=1000):
        values = {name: getattr(station, name) for name in STORED_FIELDS}
        changes.append(Change("station.create", "stations.station", station.pk, _label(station, villages), election.slug, diff({}, values), station.village_id))
    Station.objects.bulk_update(to_update, fields=list(STORED_FIELDS), batch_size=1000)
    result.created, result.updated = len(to_create), len(to_update)
    summary = {"source": source, "created": result.created, "updated": result.updated, "unchanged": result.unchanged}
    changes.append(Change("stations.import", "elections.election", election.pk, election.name, election.slug, summary, _common_area(rows)))
    record(actor=actor, changes=changes)


def _count(*, election: Election, rows: list[StationRow], result: ImportResult) -> None:
    existing = {}
    codes = sorted({row.village_code for row in rows})
    for start in range(0, len(codes), 500):
        for station in Station.objects.filter(election=election, village_id__in=codes[start : start + 500]):
            existing[(station.village_id, station.number)] = {name: getattr(station, name) for name in STORED_FIELDS}
    for row in rows:
        before = existing.get((row.village_code, row.number))
        if before is None:
            result.created += 1
        elif before == row.values():
            result.unchanged += 1
        else:
            result.updated += 1


def _common_area(rows: list[StationRow]) -> str:
    """The narrowest region holding every village of the import."""
    return codes.common_area([row.village_code for row in rows])


def _label(station: Station, villages: dict[str, Region]) -> str:
    return tps_label(station.number, villages[station.village_id].name)


def _points_outside_village(rows: list[StationRow], villages: dict[str, Region]) -> list[RowError]:
    """Warnings (not errors): a TPS point that is not inside its village polygon."""
    geometries: dict[str, dict | None] = {}
    warnings = []
    for row in rows:
        if row.latitude is None:
            continue
        if row.village_code not in geometries:
            boundary = villages[row.village_code].boundary
            geometries[row.village_code] = json.loads(boundary) if boundary else None
        geometry = geometries[row.village_code]
        if geometry is not None and not geo.contains(geometry, row.latitude, row.longitude):
            warnings.append(
                RowError(
                    row.row,
                    "latitude",
                    f"Titik TPS {row.number} berada di luar batas desa {villages[row.village_code].name}. "
                    "Data tetap disimpan; periksa koordinatnya.",
                )
            )
    return warnings


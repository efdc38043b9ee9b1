"""TPS rows in the shared file format, for the CLI, the web download and the round trip."""

from collections.abc import Iterable

from sinergi.core.writing import write_csv, write_xlsx
from sinergi.stations import fileformat as ff
from sinergi.stations.models import Station


def station_rows(stations: Iterable[Station]) -> list[list[object]]:
    """One list per TPS, in `fileformat.COLUMNS` order. Expects village__parent selected."""
    rows = []
    for station in stations:
        village = station.village
        rows.append(
            [
                village.parent_id,
                village.parent.name,
                village.code,
                village.name,
                station.number,
                station.place,
                ff.format_coordinate(station.latitude),
                ff.format_coordinate(station.longitude),
                station.voters,
                station.access,
                station.crossing,
                ff.yes_no(station.is_special_location),
                ff.yes_no(station.location_estimated),
            ]
        )
    return rows


def export_csv(stations: Iterable[Station]) -> str:
    return write_csv(ff.COLUMNS, station_rows(stations))


def export_xlsx(stations: Iterable[Station]) -> bytes:
    rows = station_rows(stations)
    # Numbers as numbers in Excel, so that sums and filters work.
    for row in rows:
        for index in (6, 7):
            row[index] = float(row[index]) if row[index] != "" else None
    return write_xlsx(ff.COLUMNS, rows, sheet_title="TPS")

"""TPS rows in the shared file format, for the CLI, the web download and the round trip: written
as the TPS are read (`core/streaming.py`), so that a national export holds one chunk of TPS at a
time, never the 820,161 of them."""

from collections.abc import Iterable, Iterator
from typing import IO

from django.db.models import QuerySet

from sinergi.core.streaming import csv_response, table_sheet, write_xlsx_to, xlsx_response
from sinergi.core.writing import csv_chunks
from sinergi.stations import fileformat as ff
from sinergi.stations.models import Station

CHUNK = 2000


def _read(stations: QuerySet[Station]) -> Iterator[Station]:
    return stations.select_related("village__parent").iterator(chunk_size=CHUNK)


def station_rows(stations: Iterable[Station]) -> Iterator[list[object]]:
    """One list per TPS, in `fileformat.COLUMNS` order. Expects village__parent selected."""
    for station in stations:
        village = station.village
        yield [
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


def _xlsx_rows(stations: Iterable[Station]) -> Iterator[list[object]]:
    for row in station_rows(stations):
        # Numbers as numbers in Excel, so that sums and filters work.
        for index in (6, 7):
            row[index] = float(row[index]) if row[index] != "" else None
        yield row


def csv_pieces(stations: QuerySet[Station]) -> Iterator[str]:
    return csv_chunks(ff.COLUMNS, station_rows(_read(stations)))


def write_xlsx(target: IO[bytes] | str, stations: QuerySet[Station]) -> None:
    write_xlsx_to(target, [table_sheet("TPS", ff.COLUMNS, _xlsx_rows(_read(stations)))])


def csv_download(filename: str, stations: QuerySet[Station]):
    return csv_response(filename, ff.COLUMNS, station_rows(_read(stations)))


def xlsx_download(filename: str, stations: QuerySet[Station]):
    return xlsx_response(filename, [table_sheet("TPS", ff.COLUMNS, _xlsx_rows(_read(stations)))])

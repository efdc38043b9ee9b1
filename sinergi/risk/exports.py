"""Bawaslu's release as CSV (long format) and Excel (one sheet per view), written row by row
(`core/streaming.py`): the national release never exists as one list of rows."""

from collections.abc import Iterator, Sequence

from sinergi.core.streaming import MAX_COLUMNS, Sheet
from sinergi.core.writing import write_csv
from sinergi.regions import codes
from sinergi.risk.release import Release

CSV_COLUMNS = ["tingkat", "kode_wilayah", "nama_wilayah", "kode_indikator", "variabel", "indikator", "jumlah_tps", "peringkat", "kelompok"]


def wider_than_a_district(area_code: str) -> bool:
    """A release of a province or of the whole country: it has a level per kabupaten/kota."""
    return not area_code or codes.level_of(area_code) < codes.DISTRICT


def by_district(by_kecamatan: dict[str, int]) -> dict[str, int]:
    """An indicator's TPS per kabupaten/kota, summed from its kecamatan (a TPS lies in one)."""
    found: dict[str, int] = {}
    for code, count in by_kecamatan.items():
        found[codes.district_of(code)] = found.get(codes.district_of(code), 0) + count
    return dict(sorted(found.items()))


def release_rows(result: Release, *, area_code: str, area_name: str, names: dict[str, str], districts: Sequence[str] = ()) -> Iterator[list[object]]:
    """One row per indicator and area: the whole area first, then (for a province or the whole
    country) each kabupaten/kota with TPS (`districts`, `stations.queries.served_districts`), none
    left out for having no such TPS, then each kecamatan and village where the indicator is present."""
    wide = wider_than_a_district(area_code)
    for entry in result.indicators:
        common = [entry.code, entry.variable, entry.text]
        yield ["wilayah", area_code, area_name, *common, entry.total, entry.rank, entry.group]
        if wide:
            counts = by_district(entry.by_kecamatan)
            for code in sorted({*districts, *counts}):
                yield ["kabupaten", code, names.get(code, code), *common, counts.get(code, 0), "", ""]
        for code, count in entry.by_kecamatan.items():
            yield ["kecamatan", code, names.get(code, code), *common, count, "", ""]
        for code, count in entry.by_village.items():
            yield ["desa", code, names.get(code, code), *common, count, "", ""]


def release_csv(result: Release, **area) -> str:
    return write_csv(CSV_COLUMNS, release_rows(result, **area))


def release_sheets(
    result: Release, *, area_code: str, area_name: str, names: dict[str, str], variable_names: dict[int, str], station_labels: dict[int, str], districts: Sequence[str] = ()
) -> Iterator[Sheet]:
    """The workbook's sheets: the summary, the matrices per kabupaten/kota (for a province or the
    whole country), per kecamatan and per village, the counts
    per variable and the TPS with several variables (`station_labels`: station id -> label)."""
    summary = [[f"Pemetaan TPS rawan — {area_name} ({area_code}); {result.stations} TPS"], ["Peringkat", "Kode", "Variabel", "Indikator", "Jumlah TPS", "Kelompok"]]
    summary += [[entry.rank, entry.code, entry.variable, entry.text, entry.total, entry.group] for entry in result.indicators]
    yield Sheet("Ringkasan", summary, bold=(2,))
    kecamatans = sorted({code for entry in result.indicators for code in entry.by_kecamatan})
    if wider_than_a_district(area_code):  # a province or the country: a column per kabupaten/kota
        columns = sorted({*districts, *(codes.district_of(code) for code in kecamatans)})
        yield Sheet("Per kabupaten-kota", _matrix(result, columns, names, "by_district"))
    yield Sheet("Per kecamatan", _matrix(result, kecamatans, names, "by_kecamatan"))
    villages = sorted({code for entry in result.indicators for code in entry.by_village})
    yield Sheet("Per desa", _matrix(result, villages, names, "by_village"))
    variables = [["Variabel", "Nama", "Jumlah TPS dengan indikator variabel ini"]]
    variables += [[number, variable_names.get(number, ""), count] for number, count in result.by_variable.items()]
    yield Sheet("Per variabel", variables)
    several = ([station_labels.get(sid, str(sid)), len(numbers), ", ".join(map(str, numbers))] for sid, numbers in result.several_variables)
    yield Sheet("TPS multi-variabel", _with_header(["TPS", "Jumlah variabel", "Variabel"], several))


def _with_header(header: list[object], rows) -> Iterator[list[object]]:
    yield header
    yield from rows


def _matrix(result: Release, areas: list[str], names: dict[str, str], attribute: str) -> Iterator[list[object]]:
    """An indicator per row and an area per column; past Excel's column limit (a national
    release's 83,731 villages) an area per row and an indicator per column instead."""
    columns = [by_district(entry.by_kecamatan) if attribute == "by_district" else getattr(entry, attribute) for entry in result.indicators]
    if len(areas) + 2 <= MAX_COLUMNS:
        yield ["Kode", "Indikator", *[f"{names.get(a, a)} ({a})" for a in areas]]
        for entry, counts in zip(result.indicators, columns, strict=True):
            yield [entry.code, entry.text, *[counts.get(a, 0) for a in areas]]
        return
    yield ["Kode wilayah", "Wilayah", *[entry.code for entry in result.indicators]]
    for area in areas:
        yield [area, names.get(area, area), *[counts.get(area, 0) for counts in columns]]

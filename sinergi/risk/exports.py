"""Bawaslu's release as CSV (long format) and Excel (one sheet per view)."""


from openpyxl import Workbook
from openpyxl.styles import Font

from sinergi.core.tabular import save_workbook, write_csv
from sinergi.risk.release import Release

CSV_COLUMNS = ["tingkat", "kode_wilayah", "nama_wilayah", "kode_indikator", "variabel", "indikator", "jumlah_tps", "peringkat", "kelompok"]


def release_rows(result: Release, *, area_code: str, area_name: str, names: dict[str, str]) -> list[list[object]]:
    """One row per indicator and area: the whole area first, then each kecamatan and village
    where the indicator is present."""
    rows = []
    for entry in result.indicators:
        common = [entry.code, entry.variable, entry.text]
        rows.append(["wilayah", area_code, area_name, *common, entry.total, entry.rank, entry.group])
        for code, count in entry.by_kecamatan.items():
            rows.append(["kecamatan", code, names.get(code, code), *common, count, "", ""])
        for code, count in entry.by_village.items():
            rows.append(["desa", code, names.get(code, code), *common, count, "", ""])
    return rows


def release_csv(result: Release, **area) -> str:
    return write_csv(CSV_COLUMNS, release_rows(result, **area))


def release_xlsx(result: Release, *, area_code: str, area_name: str, names: dict[str, str], variable_names: dict[int, str], station_labels: dict[int, str]) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Ringkasan"
    summary.append([f"Pemetaan TPS rawan — {area_name} ({area_code}); {result.stations} TPS"])
    summary.append(["Peringkat", "Kode", "Variabel", "Indikator", "Jumlah TPS", "Kelompok"])
    for entry in result.indicators:
        summary.append([entry.rank, entry.code, entry.variable, entry.text, entry.total, entry.group])
    kecamatans = sorted({code for entry in result.indicators for code in entry.by_kecamatan})
    _matrix(workbook.create_sheet("Per kecamatan"), result, kecamatans, names, "by_kecamatan")
    villages = sorted({code for entry in result.indicators for code in entry.by_village})
    _matrix(workbook.create_sheet("Per desa"), result, villages, names, "by_village")
    variables = workbook.create_sheet("Per variabel")
    variables.append(["Variabel", "Nama", "Jumlah TPS dengan indikator variabel ini"])
    for number, count in result.by_variable.items():
        variables.append([number, variable_names.get(number, ""), count])
    several = workbook.create_sheet("TPS multi-variabel")
    several.append(["TPS", "Jumlah variabel", "Variabel"])
    for station_id, numbers in result.several_variables:
        several.append([station_labels.get(station_id, str(station_id)), len(numbers), ", ".join(map(str, numbers))])
    for sheet in workbook.worksheets:
        for cell in sheet[2 if sheet.title == "Ringkasan" else 1]:
            cell.font = Font(bold=True)
    return save_workbook(workbook)


def _matrix(sheet, result: Release, areas: list[str], names: dict[str, str], attribute: str) -> None:
    sheet.append(["Kode", "Indikator", *[f"{names.get(a, a)} ({a})" for a in areas]])
    for entry in result.indicators:
        counts = getattr(entry, attribute)
        sheet.append([entry.code, entry.text, *[counts.get(a, 0) for a in areas]])

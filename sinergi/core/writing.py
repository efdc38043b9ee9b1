"""Writing row tables (CSV and Excel .xlsx) for exports: every CSV and workbook Sinergi writes
goes through here (or `core/streaming.py`, which streams these pieces), so that no text becomes a
live formula in a spreadsheet (CSV injection): `neutralise` puts an apostrophe before text that
starts like a formula, which `core.tabular`'s readers take back off on re-import."""

import csv
import io
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sinergi.core.tabular import FORMULA_TRIGGERS, NUMBER


def write_csv(headers: list[str], rows: Iterable[Iterable[object]]) -> str:
    """Every CSV export goes through here or `csv_chunks`: text a spreadsheet would run as a formula is written with a
    leading apostrophe (numbers, and text that is just a number such as '-8.683000', stay as they are)."""
    return "".join(csv_chunks(headers, rows))


def csv_chunks(headers: list[str], rows: Iterable[Iterable[object]], rows_per_chunk: int = 1000) -> Iterator[str]:
    """`write_csv`'s text in pieces of `rows_per_chunk` rows, written as `rows` are read (a
    cursor, a streamed download: `core/streaming.py`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise(h) for h in headers])
    pending = 1
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
        pending += 1
        if pending >= rows_per_chunk:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            pending = 0
    if pending:
        yield out.getvalue()


def neutralise(value: object) -> object:
    """A CSV cell a spreadsheet would run as a formula, with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not NUMBER.match(value):
        return "'" + value
    return value


def write_xlsx(headers: list[str], rows: list[list[object]], *, sheet_title: str) -> bytes:
    return write_xlsx_sheets([(sheet_title, headers, rows)])


def write_xlsx_sheets(sheets: list[tuple[str, list[str], list[list[object]]]]) -> bytes:
    """A workbook of (title, headers, rows) sheets: bold frozen headers, text kept as text."""
    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        fill_sheet(workbook.create_sheet(title[:31]), headers, rows)
    return save_workbook(workbook)


def fill_sheet(sheet, headers: list[str], rows: Iterable[list[object]], *, title: str = "", min_width: int = 10) -> None:
    """`rows` under a bold header row (below a bold `title` line when given), the header frozen,
    each column as wide as its header (within `min_width` and 40 characters)."""
    if title:
        sheet.append([title])
        sheet.cell(row=1, column=1).font = Font(bold=True)
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = f"A{header_row + 1}"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(min_width, min(40, len(header) + 4))


def save_workbook(workbook: Workbook) -> bytes:
    """Every Excel export is saved through here: text stays text. openpyxl takes any string that
    begins with "=" for a formula; a place or a village named "=..." must not become a live formula
    (which would also come back empty on re-import)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

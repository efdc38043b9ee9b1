"""Writing large tables as they are read: CSV and Excel in constant memory (docs/benchmarks.md,
"National exports").

The same rules as `core.tabular`'s writers: a CSV cell a spreadsheet would run as a formula gets a
leading apostrophe, and an Excel cell that looks like a formula stays text. Rows may come from a
generator (a database cursor); they are written as they arrive and never held together. A
workbook is written with openpyxl's write-only mode into a file (on the web: a temporary file,
then streamed), since an .xlsx is a zip archive that cannot be sent before it is complete.
"""

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sinergi.core.writing import csv_chunks

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's limit: a sheet has at most this many columns.
MAX_COLUMNS = 16_384


@dataclass
class Sheet:
    """One sheet of a streamed workbook. `rows` is read once, as the sheet is written; `bold`
    holds the row numbers (1-based) set in bold; `freeze` a cell such as "A2"; `widths` the
    column widths by position (1-based)."""

    title: str
    rows: Iterable[Iterable[object]]
    bold: tuple[int, ...] = (1,)
    freeze: str | None = None
    widths: dict[int, float] = field(default_factory=dict)


def table_sheet(title: str, headers: list[str], rows: Iterable[Iterable[object]]) -> Sheet:
    """The layout of `tabular.write_xlsx_sheets`: a bold, frozen header, widths from the headings."""
    widths = {index: max(10, min(40, len(header) + 4)) for index, header in enumerate(headers, start=1)}
    return Sheet(title[:31], _prepend(headers, rows), bold=(1,), freeze="A2", widths=widths)


def _prepend(first: list[object], rows: Iterable[Iterable[object]]) -> Iterator[Iterable[object]]:
    yield first
    yield from rows


def write_xlsx_to(target: IO[bytes] | str, sheets: Iterable[Sheet]) -> None:
    """A workbook of `sheets`, each written row by row (openpyxl's write-only mode). `sheets` may be
    a generator: a sheet's rows are read only once the sheets before it are written."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])
        if spec.freeze:
            sheet.freeze_panes = spec.freeze
        for index, width in spec.widths.items():
            sheet.column_dimensions[get_column_letter(index)].width = width
        for number, row in enumerate(spec.rows, start=1):
            sheet.append([_cell(sheet, value, number in spec.bold) for value in row])
    workbook.save(target)


def _cell(sheet, value: object, bold: bool) -> object:
    if not bold and not (isinstance(value, str) and value.startswith("=")):
        return value
    cell = WriteOnlyCell(sheet, value)
    if cell.data_type == "f":  # text stays text (`tabular.save_workbook`)
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


class Spool:
    """Rows kept in a temporary file until they are read back, once, in the same order: a sheet
    gathered while another is written (the guard plan's posts, beside its TPS)."""

    def __init__(self):
        self._file = tempfile.TemporaryFile()

    def extend(self, rows: Iterable[object]) -> None:
        for row in rows:
            pickle.dump(row, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def __iter__(self) -> Iterator[object]:
        self._file.seek(0)
        try:
            while True:
                try:
                    yield pickle.load(self._file)
                except EOFError:
                    return
        finally:
            self._file.close()


def csv_response(filename: str, headers: list[str], rows: Iterable[Iterable[object]]) -> StreamingHttpResponse:
    """A CSV download written as the rows are read."""
    response = StreamingHttpResponse((piece.encode("utf-8") for piece in csv_chunks(headers, rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, sheets: Iterable[Sheet]) -> FileResponse:
    """An Excel download: the workbook written into a temporary file (removed once closed), then
    streamed from it."""
    spool = tempfile.TemporaryFile()
    try:
        write_xlsx_to(spool, sheets)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)

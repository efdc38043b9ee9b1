"""Reading and writing row tables (CSV and Excel .xlsx) for imports and exports.

Readers return every non-empty data row with its spreadsheet row number (the header is row 1),
so that an import can name the row a person must fix. Values come back as stripped strings;
the importer owns their meaning.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


@dataclass(frozen=True)
class RowError:
    """One thing wrong with an input file, worded for the person who will fix it."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Baris {self.row}")
        if self.column:
            where.append(f"kolom '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class InputRejected(Exception):
    """The whole input was refused; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]


class UnreadableFile(ValueError):
    pass


def read_table(filename: str, content: bytes) -> Table:
    """Parse a .csv or .xlsx file given as bytes. Raises UnreadableFile with an Indonesian message."""
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        return _read_xlsx(content)
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return _read_csv(content)
    raise UnreadableFile(f"Format berkas '{filename}' tidak dikenal: gunakan .csv atau .xlsx.")


def _normalise_header(value: object) -> str:
    return str(value if value is not None else "").strip().lower().replace(" ", "_")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _read_csv(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheet programs on Indonesian Windows save CSV in Windows-1252.
        text = content.decode("cp1252", errors="replace")
    if not text.strip():
        raise UnreadableFile("Berkas kosong: tidak ada baris judul maupun data.")
    if "\x00" in text:
        raise UnreadableFile("Berkas berisi karakter NUL, jadi bukan CSV teks biasa. Simpan ulang sebagai 'CSV UTF-8'.")
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header_row = next(reader)
    except (StopIteration, csv.Error) as error:
        raise UnreadableFile(f"Baris judul tidak dapat dibaca: {error}") from None
    headers = [_normalise_header(h) for h in header_row]
    rows = []
    try:
        for line_no, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            rows.append((line_no, {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(headers) if h}))
    except csv.Error as error:
        raise UnreadableFile(f"Baris {reader.line_num}: CSV tidak valid ({error}).") from None
    return Table(headers=[h for h in headers if h], rows=rows)


def _read_xlsx(content: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile(f"Berkas Excel tidak dapat dibuka ({error.__class__.__name__}). Simpan ulang sebagai .xlsx.") from None
    try:
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        header_row = next(iterator, None)
        if header_row is None:
            raise UnreadableFile("Lembar pertama kosong: tidak ada baris judul.")
        headers = [_normalise_header(h) for h in header_row]
        rows = []
        for row_no, values in enumerate(iterator, start=2):
            texts = [_cell_text(v) for v in values]
            if not any(texts):
                continue
            rows.append((row_no, {h: (texts[i] if i < len(texts) else "") for i, h in enumerate(headers) if h}))
    except UnreadableFile:
        raise
    except Exception as error:  # a valid zip whose sheet XML is broken fails only while reading rows
        raise UnreadableFile(f"Isi berkas Excel rusak ({error.__class__.__name__}). Simpan ulang sebagai .xlsx.") from None
    finally:
        workbook.close()
    return Table(headers=[h for h in headers if h], rows=rows)


def write_csv(headers: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def write_xlsx(headers: list[str], rows: list[list[object]], *, sheet_title: str) -> bytes:
    return write_xlsx_sheets([(sheet_title, headers, rows)])


def write_xlsx_sheets(sheets: list[tuple[str, list[str], list[list[object]]]]) -> bytes:
    """A workbook of (title, headers, rows) sheets: bold frozen headers, text kept as text."""
    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    # Text stays text: a place named "=..." must not become a live formula, which
                    # would also come back empty on re-import.
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(header) + 4))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

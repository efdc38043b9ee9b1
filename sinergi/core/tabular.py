"""Reading row tables (CSV and Excel .xlsx) for imports.

Readers return every non-empty data row with its spreadsheet row number, so that an import can
name the row a person must fix. Values come back as stripped strings; the importer owns their
meaning. Given the columns an import knows, the reader finds the header itself (docs/import-formats.md):
the row among the first ten that names the most of them, on the sheet that has it, with the CSV
delimiter (comma, semicolon or tab) that makes it; a second header row under merged cells is read
too. What it cannot read faithfully it refuses by name: hidden rows, formulas without a stored
value, data under a column without a name.

The writers are in `core/writing.py`: they never leave a live formula in a CSV file (text
beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe), and the
readers here take that apostrophe back off.
"""

import csv
import io
import posixpath
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.xml.functions import fromstring, iterparse  # the parser openpyxl itself uses (defusedxml when installed)

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# How far down a sheet the header may sit below title rows.
HEADER_SEARCH_ROWS = 10
CSV_DELIMITERS = (",", ";", "\t")
NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_DELIMITER_NAMES = {",": "koma", ";": "titik koma", "\t": "tab"}


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


class RowChecker:
    """Checks the cells of one row, collecting every problem as a RowError (a row goes on being
    checked after its first problem, so the person fixing the file sees them all at once)."""

    def __init__(self, row_no: int, values: dict[str, str], errors: list[RowError]):
        self.row_no, self.values, self.errors = row_no, values, errors
        self.ok = True

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row_no, column, message))
        self.ok = False

    def text(self, column: str) -> str:
        return self.values.get(column, "").strip()


class InputRejected(Exception):
    """The whole input was refused; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]
    # Where the header was found (its last row when it spans two) and on which sheet.
    header_row: int = 1
    sheet: str | None = None
    # Named columns with data that the import does not know (it ignores them): for warnings.
    unknown: list[str] = field(default_factory=list)


class UnreadableFile(ValueError):
    pass


class HeaderNotFound(UnreadableFile):
    """No row among the first rows names any of the import's columns: for a file that may hold one
    of several tables (the guard formation and the Polsek personnel), that table is absent."""


def read_table(filename: str, content: bytes, *, required: Iterable[str] = (), known: Iterable[str] = ()) -> Table:
    """Parse a .csv or .xlsx file given as bytes.

    `required` and `known` are the import's column names (normalised): with them the header is
    looked for among the first HEADER_SEARCH_ROWS rows, on every sheet and with every delimiter;
    without them row 1 of the first sheet is the header. Raises UnreadableFile (one Indonesian
    message) when the file or its header cannot be read, InputRejected (row by row) for cells
    it cannot read faithfully. Missing required columns are left to the importer, which names
    them against `Table.header_row`.
    """
    lower = filename.lower()
    required = [_normalise_header(c) for c in required]
    names = set(required) | {_normalise_header(c) for c in known}
    if lower.endswith(".xlsx"):
        return _read_xlsx(content, required, names)
    if lower.endswith(".csv") or lower.endswith(".txt") or lower.endswith(".tsv"):
        return _read_csv(content, required, names)
    raise UnreadableFile(f"Format berkas '{filename}' tidak dikenal: gunakan .csv atau .xlsx.")


def _normalise_header(value: object) -> str:
    return " ".join(str(value if value is not None else "").split()).lower().replace(" ", "_")


def _unneutralise(text: str) -> str:
    """Take back the apostrophe `write_csv` puts before text a spreadsheet would run as a formula."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        # Excel has no date type: a date cell is a datetime at midnight, and means the day.
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return _unneutralise(str(value).strip()).strip()


def _best_header(samples: list[list[list[object]]], required: list[str], names: set[str]) -> list[tuple[tuple[int, int], int, int]]:
    """For each candidate (a sheet, a delimiter): ((required found, known found), row index, candidate
    index) of its best header row among its first rows, best candidates first."""
    found = []
    for candidate, rows in enumerate(samples):
        best = None
        for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
            header = {_normalise_header(c) for c in cells} - {""}
            score = (len(header & set(required)), len(header & names))
            if best is None or score > best[0]:
                best = (score, index, candidate)
        if best is not None:
            found.append(best)
    return sorted(found, key=lambda entry: (-entry[0][0], -entry[0][1], entry[2]))


def _not_found(required: list[str], names: set[str], where: str) -> HeaderNotFound:
    wanted = ", ".join(required or sorted(names))
    return HeaderNotFound(
        f"Baris judul tidak ditemukan: tidak ada baris di {HEADER_SEARCH_ROWS} baris pertama {where} yang memuat nama kolom "
        f"yang dikenal ({wanted}). Pastikan baris judul memakai nama kolom seperti pada panduan impor."
    )


def _decode(content: bytes) -> str:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheet programs on Indonesian Windows save CSV in Windows-1252.
        text = content.decode("cp1252", errors="replace")
    if not text.strip():
        raise UnreadableFile("Berkas kosong: tidak ada baris judul maupun data.")
    if "\x00" in text:
        raise UnreadableFile("Berkas berisi karakter NUL, jadi bukan CSV teks biasa. Simpan ulang sebagai 'CSV UTF-8'.")
    return text


def _sample(text: str, delimiter: str) -> list[list[str]]:
    rows = []
    try:
        for values in csv.reader(io.StringIO(text), delimiter=delimiter):
            rows.append(values)
            if len(rows) == HEADER_SEARCH_ROWS:
                break
    except csv.Error:
        pass  # this delimiter does not read the file; another may
    return rows


def _read_csv(content: bytes, required: list[str], names: set[str]) -> Table:
    text = _decode(content)
    samples = [_sample(text, d) for d in CSV_DELIMITERS]
    if names:
        ranked = _best_header(samples, required, names)
        if not ranked or ranked[0][0][1] == 0:
            raise _not_found(required, names, "(dengan pemisah koma, titik koma atau tab)")
        _, header_index, chosen = ranked[0]
    else:
        # No known columns: row 1 is the header, split the way that gives it the most columns.
        chosen = max(range(len(CSV_DELIMITERS)), key=lambda i: len(samples[i][0]) if samples[i] else 0)
        header_index = 0
    reader = csv.reader(io.StringIO(text), delimiter=CSV_DELIMITERS[chosen])
    rows = []
    try:
        rows.extend(reader)
    except csv.Error as error:
        raise UnreadableFile(f"Baris {reader.line_num}: CSV tidak valid ({error}).") from None
    return _table(_Grid(None, rows), header_index, required, names)


@dataclass
class _Grid:
    """One sheet as read: rows of raw cells (row 1 first) and what the reader must not take silently."""

    sheet: str | None
    rows: list[list[object]]
    hidden: set[int] = field(default_factory=set)  # row numbers
    merged: list[tuple[int, int, int]] = field(default_factory=list)  # (row, first column, last column), horizontal merges
    unstored_formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, column) of formulas with no stored value


def _read_xlsx(content: bytes, required: list[str], names: set[str]) -> Table:
    try:
        # Read-only streaming keeps a large file's memory small; what it does not expose (hidden
        # rows, merged cells, formulas without a value) comes from one streaming scan of the sheet.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise UnreadableFile(f"Berkas Excel tidak dapat dibuka ({error.__class__.__name__}). Simpan ulang sebagai .xlsx.") from None
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile(f"Berkas Excel tidak dapat dibuka ({error.__class__.__name__}). Simpan ulang sebagai .xlsx.") from None
    try:
        sheets = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"] or workbook.worksheets
        samples = [[list(r) for r in ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)] for ws in sheets]
        if not any(samples):
            raise UnreadableFile("Berkas Excel kosong: tidak ada baris judul.")
        if names:
            ranked = _best_header(samples, required, names)
            if not ranked or ranked[0][0][1] == 0:
                raise _not_found(required, names, "lembar " + ", ".join(f"'{ws.title}'" for ws in sheets))
            score, header_index, chosen = ranked[0]
            rivals = [sheets[i].title for s, h, i in ranked[1:] if s == score and _has_data(sheets[i], h)]
            if rivals and _has_data(sheets[chosen], header_index):
                listed = ", ".join(f"'{t}'" for t in [sheets[chosen].title, *rivals])
                raise UnreadableFile(f"Lembar {listed} sama-sama berisi tabel data dengan baris judul ini. Sisakan satu lembar data (hapus atau pindahkan yang lain) lalu unggah lagi.")
        else:
            header_index, chosen = 0, 0
        ws = sheets[chosen]
        grid = _Grid(ws.title, [list(r) for r in ws.iter_rows(values_only=True)])
        _scan_sheet(content, ws.title, grid)
    except UnreadableFile:
        raise
    except Exception as error:  # a valid zip whose sheet XML is broken fails only while reading rows
        raise UnreadableFile(f"Isi berkas Excel rusak ({error.__class__.__name__}). Simpan ulang sebagai .xlsx.") from None
    finally:
        workbook.close()
    return _table(grid, header_index, required, names)


def _has_data(ws, header_index: int) -> bool:
    return any(any(v not in (None, "") for v in row) for row in ws.iter_rows(min_row=header_index + 2, values_only=True))


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _sheet_path(archive: zipfile.ZipFile, title: str) -> str | None:
    """The sheet's XML part inside the .xlsx package (workbook.xml names it, its relationships point to it)."""
    workbook = fromstring(archive.read("xl/workbook.xml"))
    targets = {r.get("Id"): r.get("Target", "") for r in fromstring(archive.read("xl/_rels/workbook.xml.rels")).iter(_PACKAGE_RELATIONSHIP)}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        if sheet.get("name") == title:
            target = targets.get(sheet.get(_RELATIONSHIP_ID), "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return None


def _scan_sheet(content: bytes, title: str, grid: "_Grid") -> None:
    """One streaming pass over the sheet's XML for what the values alone do not tell: hidden rows,
    horizontally merged cells, and formulas whose value was never stored (a program other than
    Excel wrote the file: read for values they look empty, and an import must not take them so)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        path = _sheet_path(archive, title)
        if path is None or path not in archive.namelist():
            return
        row_no = 0
        with archive.open(path) as source:
            for _, element in iterparse(source):
                tag = element.tag
                if tag == f"{_MAIN}c":
                    stored = element.findtext(f"{_MAIN}v")
                    # No value, or an empty one where only a text result may be empty (openpyxl writes <v/>).
                    unstored = stored is None or (stored == "" and element.get("t") not in ("str", "s", "inlineStr"))
                    if element.find(f"{_MAIN}f") is not None and unstored and element.get("r"):
                        grid.unstored_formulas.add(coordinate_to_tuple(element.get("r")))
                elif tag == f"{_MAIN}row":
                    row_no = int(element.get("r") or row_no + 1)
                    if element.get("hidden") in ("1", "true"):
                        grid.hidden.add(row_no)
                    element.clear()
                elif tag == f"{_MAIN}mergeCell":
                    merged = CellRange(element.get("ref"))
                    if merged.max_col > merged.min_col:
                        grid.merged.append((merged.min_row, merged.min_col, merged.max_col))


def _combine(parents: list[str], children: list[str], merged: list[tuple[int, int]], names: set[str]) -> list[str]:
    """One name per column from a two-row header: the child where it is a known name, parent_child
    where that is one, else the parent (spread over its merged columns) or whichever is there."""
    parents = list(parents) + [""] * (len(children) - len(parents))
    for first, last in merged:
        for column in range(first, min(last, len(parents))):
            parents[column] = parents[column] or parents[first - 1]
    out = []
    for index, parent in enumerate(parents):
        child = children[index] if index < len(children) else ""
        if child in names:
            out.append(child)
        elif parent and child and f"{parent}_{child}" in names:
            out.append(f"{parent}_{child}")
        elif parent in names or not child:
            out.append(parent)
        else:
            out.append(child)
    return out


def _table(grid: _Grid, header_index: int, required: list[str], names: set[str]) -> Table:
    rows = grid.rows
    header = [_normalise_header(c) for c in rows[header_index]] if header_index < len(rows) else []
    start = header_index + 1
    if names and start < len(rows):
        below = [_normalise_header(c) for c in rows[start]]
        if any(b in names and b not in header for b in below):
            # A two-row header (e.g. 'koordinat' merged over 'latitude' and 'longitude').
            merged = [(first, last) for row, first, last in grid.merged if row == header_index + 1]
            header = _combine(header, below, merged, names)
            start += 1
    header_row = start  # the header's last row, 1-based
    errors = []
    seen = {}
    for index, name in enumerate(header):
        if name and name in seen:
            errors.append(RowError(header_row, name, f"Kolom '{name}' muncul dua kali pada baris judul (kolom {seen[name]} dan {get_column_letter(index + 1)}). Hapus atau ganti nama salah satunya."))
        seen.setdefault(name, get_column_letter(index + 1))
    table_rows, hidden, nameless, with_data = [], [], {}, set()
    formulas_by_row: dict[int, list[int]] = {}
    for r, c in sorted(grid.unstored_formulas):
        formulas_by_row.setdefault(r, []).append(c)
    for index in range(start, len(rows)):
        row_no = index + 1
        texts = [_cell_text(v) for v in rows[index]]
        formulas = formulas_by_row.get(row_no, [])
        if not any(texts) and not formulas:
            continue
        if row_no in grid.hidden:
            hidden.append(row_no)
            continue
        for column, value in enumerate(rows[index]):
            if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e15 and column < len(header) and header[column]:
                # Excel keeps 15 significant digits: a 16-digit number (a NIK) typed as a number has lost its last digit.
                errors.append(RowError(row_no, header[column], f"Angka {_cell_text(value)} tersimpan sebagai angka di Excel, yang hanya menyimpan 15 digit: digit terakhirnya sudah hilang. Ubah format kolom menjadi Teks lalu ketik ulang isinya (mis. NIK)."))
        for column in formulas:
            name = header[column - 1] if column <= len(header) else ""
            errors.append(RowError(row_no, name or get_column_letter(column), "Sel berisi rumus tanpa nilai tersimpan (berkas disimpan oleh program yang tidak menghitung rumus). Buka berkas di Excel lalu simpan ulang, atau ganti rumus dengan nilainya."))
        for column, text in enumerate(texts):
            if not text:
                continue
            name = header[column] if column < len(header) else ""
            if name:
                with_data.add(name)
            else:
                nameless.setdefault(column, row_no)
        table_rows.append((row_no, {h: (texts[i] if i < len(texts) else "") for i, h in enumerate(header) if h}))
    if hidden:
        shown = ", ".join(str(n) for n in hidden[:20]) + (f" dan {len(hidden) - 20} lainnya" if len(hidden) > 20 else "")
        sheet = f" di lembar '{grid.sheet}'" if grid.sheet else ""
        errors.append(RowError(None, None, f"Baris {shown} tersembunyi (hidden){sheet}, jadi tidak diimpor diam-diam. Tampilkan baris itu (Unhide), hapus yang memang tidak ingin diimpor, lalu unggah lagi."))
    for column, row_no in sorted(nameless.items()):
        errors.append(RowError(header_row, None, f"Kolom {get_column_letter(column + 1)} berisi data (mis. baris {row_no}) tetapi tidak punya judul. Judul yang digabung (merge) hanya menamai kolom pertamanya: beri setiap kolom judulnya sendiri (mis. 'latitude' dan 'longitude', bukan 'koordinat' di atas keduanya) atau hapus kolom itu."))
    if errors:
        raise InputRejected(errors)
    unknown = [h for h in header if h and names and h not in names and h in with_data]
    return Table(headers=[h for h in header if h], rows=table_rows, header_row=header_row, sheet=grid.sheet, unknown=unknown)

"""Reading a Polres's guard formation and its Polsek's personnel from a table. No Django import.

The file (docs/import-formats.md, "Guard formation and personnel") holds one or both of two
tables, each on its own sheet (a CSV holds one):

- **formation**: one row per police class, `kelas`, `polisi_per_pos`, `tps_per_pos`,
  `linmas_per_pos` — exactly the four classes, each once;
- **personnel**: one row per Polsek, found by `kode_kecamatan` (its kecamatan) or `polsek` (its
  name or slug), with `personel_tersedia` and `bko` (reinforcements from outside, default 0).

`parse_formation` and `parse_personnel` turn a table into typed values or into RowErrors naming
the row, the column and the fix in Indonesian. They know nothing of the database: the caller
passes the Polsek of the Polres's area (`PolsekRef`) and the names of its kecamatan.
"""

import re
from dataclasses import dataclass

from sinergi.core.tabular import RowChecker, RowError, Table

LEVELS = ("kurang_rawan", "rawan", "sangat_rawan", "khusus")
LEVEL_NAMES = {"kurang_rawan": "Kurang rawan", "rawan": "Rawan", "sangat_rawan": "Sangat rawan", "khusus": "Khusus"}
# Some units call the least vulnerable class "aman" (DOMAIN: police classes).
LEVEL_ALIASES = {"aman": "kurang_rawan"}

FORMATION_REQUIRED = ("kelas", "polisi_per_pos", "tps_per_pos", "linmas_per_pos")
FORMATION_COLUMNS = FORMATION_REQUIRED
PERSONNEL_REQUIRED = ("personel_tersedia",)
PERSONNEL_COLUMNS = ("kode_kecamatan", "nama_kecamatan", "polsek", "personel_tersedia", "bko")

# Bounds that catch a typo (a 20 typed for 2) without refusing any formation in use: the largest
# published is 6 police : 6 TPS : 12 Linmas (DOMAIN: police guarding of TPS).
MAX_POLICE_PER_POST = 50
MAX_STATIONS_PER_POST = 50
MAX_LINMAS_PER_POST = 100
MAX_PERSONNEL = 100_000

_DIGITS = re.compile(r"^\d+$")
_KECAMATAN_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")


@dataclass(frozen=True)
class PolsekRef:
    """A Polsek the import may set, with the kecamatan it covers (one today; the tuple leaves room
    for a Polsek covering several)."""

    slug: str
    name: str
    kecamatan_codes: tuple[str, ...]


@dataclass(frozen=True)
class PersonnelRow:
    row: int
    polsek_slug: str
    available: int
    reinforcements: int


def level_of(text: str) -> str | None:
    """The class a cell names (`Kurang rawan`, `kurang_rawan`, `KURANG-RAWAN`, `aman`), or None."""
    key = re.sub(r"[\s\-]+", "_", text.strip().lower())
    key = LEVEL_ALIASES.get(key, key)
    return key if key in LEVELS else None


def _key(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


class _Row(RowChecker):
    def whole_number(self, column: str, what: str, *, low: int, high: int, example: str, blank: int | None = None) -> int | None:
        """A whole number in [low, high]; `blank` is the value of an empty cell (None: required)."""
        raw = self.text(column)
        if raw == "":
            if blank is not None:
                return blank
            self.fail(column, f"{what} kosong. Isi dengan bilangan bulat, mis. {example}.")
            return None
        if not _DIGITS.match(raw):
            self.fail(column, f"{what} '{raw}' bukan bilangan bulat. Isi dengan angka tanpa titik, koma atau satuan, mis. {example}.")
            return None
        number = int(raw)
        if not low <= number <= high:
            self.fail(column, f"{what} {number} di luar batas {low}–{high}. Periksa apakah ada angka yang salah ketik.")
            return None
        return number


def missing_columns(table: Table, required: tuple[str, ...]) -> list[RowError]:
    return [
        RowError(table.header_row, name, f"Kolom wajib '{name}' tidak ada. Tambahkan kolom ini pada baris judul (baris {table.header_row}).")
        for name in required
        if name not in table.headers
    ]


def parse_formation(table: Table) -> tuple[dict[str, tuple[int, int, int]], list[RowError]]:
    """Class -> (police, TPS, Linmas) per post, from the formation table; or the errors.

    Every class must appear exactly once. Police and TPS per post are at least 1 (a post guards
    at least one TPS, with at least one officer); Linmas may be 0."""
    errors = missing_columns(table, FORMATION_REQUIRED)
    if errors:
        return {}, errors
    rules: dict[str, tuple[int, int, int]] = {}
    seen: dict[str, int] = {}
    for row_no, values in table.rows:
        row = _Row(row_no, values, errors)
        raw = row.text("kelas")
        level = level_of(raw)
        if not raw:
            row.fail("kelas", "Kelas kosong. Isi salah satu: kurang rawan, rawan, sangat rawan, khusus.")
        elif level is None:
            row.fail("kelas", f"Kelas '{raw}' tidak dikenal. Isi salah satu: kurang rawan, rawan, sangat rawan, khusus.")
        elif level in seen:
            row.fail("kelas", f"Kelas {LEVEL_NAMES[level].lower()} muncul dua kali (juga di baris {seen[level]}). Sisakan satu baris per kelas.")
        police = row.whole_number("polisi_per_pos", "Jumlah polisi per pos", low=1, high=MAX_POLICE_PER_POST, example="2")
        stations = row.whole_number("tps_per_pos", "Jumlah TPS per pos", low=1, high=MAX_STATIONS_PER_POST, example="4")
        linmas = row.whole_number("linmas_per_pos", "Jumlah Linmas per pos", low=0, high=MAX_LINMAS_PER_POST, example="8")
        if level is not None and level not in seen:
            seen[level] = row_no
        if row.ok:
            rules[level] = (police, stations, linmas)
    for level in LEVELS:
        if level not in seen:
            hint = " (tidak ada angka resmi untuk kelas khusus: banyak Polres memakai angka sangat rawan)" if level == "khusus" else ""
            errors.append(
                RowError(None, "kelas", f"Kelas {LEVEL_NAMES[level].lower()} tidak ada di tabel formasi. Tambahkan satu baris untuk kelas ini{hint}.")
            )
    return (rules if not errors else {}), errors


def find_polsek(kecamatan_code: str, polsek_text: str, polseks: list[PolsekRef], kecamatan_names: dict[str, str], polres_name: str) -> tuple[PolsekRef | None, str, str]:
    """The Polsek a personnel row names: (Polsek, '', '') or (None, column, message).

    By `kode_kecamatan` (the Polsek covering that kecamatan), by `polsek` (its name or slug,
    ignoring case), or by both, which must then agree. `kecamatan_names` are the kecamatan of the
    Polres's area (code -> name): a code outside them is refused, one without a Polsek named."""
    by_kecamatan = {code: ref for ref in polseks for code in ref.kecamatan_codes}
    by_name = {_key(text): ref for ref in polseks for text in (ref.name, ref.slug)}
    found = None
    if kecamatan_code:
        if not _KECAMATAN_CODE.match(kecamatan_code):
            return None, "kode_kecamatan", f"Kode kecamatan '{kecamatan_code}' tidak berbentuk kode Kemendagri. Tulis seperti 51.05.01 (sebagai teks)."
        if kecamatan_code not in kecamatan_names:
            return None, "kode_kecamatan", f"Kecamatan {kecamatan_code} tidak dikenal atau di luar wilayah {polres_name}. Periksa kodenya."
        found = by_kecamatan.get(kecamatan_code)
        if found is None:
            return None, "kode_kecamatan", (
                f"Kecamatan {kecamatan_names[kecamatan_code]} ({kecamatan_code}) belum punya Polsek di Sinergi. "
                "Minta administrator mendaftarkan Polsek-nya, atau hapus baris ini."
            )
    if polsek_text:
        named = by_name.get(_key(polsek_text)) or by_name.get(_key(f"Polsek {polsek_text}"))
        if named is None:
            choices = ", ".join(ref.name for ref in polseks) or "(belum ada Polsek)"
            return None, "polsek", f"Polsek '{polsek_text}' tidak dikenal di wilayah {polres_name}. Tulis salah satu: {choices}."
        if found is not None and named != found:
            return None, "polsek", (
                f"Polsek '{polsek_text}' bukan Polsek kecamatan {kecamatan_names[kecamatan_code]} ({kecamatan_code}), yaitu {found.name}. "
                "Perbaiki salah satu kolom, atau kosongkan kolom polsek."
            )
        found = named
    if found is None:
        return None, "kode_kecamatan", "Polsek tidak disebut. Isi kode_kecamatan (mis. 51.05.01) atau nama Polsek pada kolom polsek."
    return found, "", ""


def parse_personnel(table: Table, *, polseks: list[PolsekRef], kecamatan_names: dict[str, str], polres_name: str) -> tuple[list[PersonnelRow], list[RowError]]:
    """The personnel rows, one per Polsek, or the errors. An empty `bko` is 0."""
    errors = missing_columns(table, PERSONNEL_REQUIRED)
    if "kode_kecamatan" not in table.headers and "polsek" not in table.headers:
        errors.append(
            RowError(table.header_row, "kode_kecamatan", f"Tidak ada kolom 'kode_kecamatan' maupun 'polsek'. Tambahkan salah satu pada baris judul (baris {table.header_row}).")
        )
    if errors:
        return [], errors
    rows: list[PersonnelRow] = []
    seen: dict[str, int] = {}
    for row_no, values in table.rows:
        row = _Row(row_no, values, errors)
        polsek, column, message = find_polsek(row.text("kode_kecamatan"), row.text("polsek"), polseks, kecamatan_names, polres_name)
        if polsek is None:
            row.fail(column, message)
        elif polsek.slug in seen:
            row.fail("kode_kecamatan" if row.text("kode_kecamatan") else "polsek", f"{polsek.name} muncul dua kali (juga di baris {seen[polsek.slug]}). Sisakan satu baris per Polsek.")
        else:
            seen[polsek.slug] = row_no
        available = row.whole_number("personel_tersedia", "Jumlah personel tersedia", low=0, high=MAX_PERSONNEL, example="120")
        reinforcements = row.whole_number("bko", "Jumlah BKO", low=0, high=MAX_PERSONNEL, example="20", blank=0)
        if row.ok:
            rows.append(PersonnelRow(row_no, polsek.slug, available, reinforcements))
    return (rows if not errors else []), errors

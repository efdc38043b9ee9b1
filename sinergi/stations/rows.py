"""Parsing and checking rows of a TPS file. No Django import.

`parse_rows` turns a table into `StationRow`s or into a list of `RowError`s naming the row, the
column and the fix, in Indonesian. It knows nothing of the database: the caller passes the
known village codes and the election's voter limit.
"""

from dataclasses import dataclass

from sinergi.core.geo import inside_indonesia
from sinergi.core.tabular import RowChecker, RowError, Table
from sinergi.regions.codes import parent_of
from sinergi.stations import fileformat as ff

# The stored fields a row sets (besides its key: election, village, number).
STORED_FIELDS = ("place", "latitude", "longitude", "voters", "access", "crossing", "is_special_location", "location_estimated")


@dataclass(frozen=True)
class StationRow:
    row: int
    village_code: str
    number: int
    place: str
    latitude: float | None
    longitude: float | None
    voters: int
    access: str
    crossing: str
    is_special_location: bool
    location_estimated: bool

    def values(self) -> dict:
        """The stored fields, as the database row would hold them."""
        return {name: getattr(self, name) for name in STORED_FIELDS}


class _RowChecker(RowChecker):
    def whole_number(self, column: str, what: str, example: str) -> int | None:
        raw = self.text(column)
        if raw == "":
            self.fail(column, f"{what} kosong. Isi dengan bilangan bulat, mis. {example}.")
            return None
        try:
            return int(raw)
        except ValueError:
            self.fail(column, f"{what} '{raw}' bukan bilangan bulat. Isi dengan angka tanpa titik atau koma, mis. {example}.")
            return None

    def decimal(self, column: str, what: str, example: str) -> float | None:
        raw = self.text(column)
        if raw == "":
            return None
        if "," in raw and "." not in raw:
            raw = raw.replace(",", ".")  # Indonesian decimal comma
        try:
            return round(float(raw), 6)
        except ValueError:
            self.fail(column, f"{what} '{self.text(column)}' bukan angka desimal. Gunakan titik sebagai pemisah desimal, mis. {example}.")
            return None

    def yes_no(self, column: str) -> bool:
        raw = self.text(column).lower()
        if raw in ff.YES:
            return True
        if raw in ff.NO:
            return False
        self.fail(column, f"Nilai '{self.text(column)}' tidak dikenal. Isi 'ya' atau 'tidak'.")
        return False


def parse_rows(table: Table, *, village_codes: set[str], max_voters: int, election_name: str) -> tuple[list[StationRow], list[RowError]]:
    """Check every row; return the parsed rows and every error found (not just the first)."""
    errors: list[RowError] = []
    missing = [column for column in ff.REQUIRED if column not in table.headers]
    for column in missing:
        errors.append(RowError(table.header_row, column, f"Kolom wajib '{column}' tidak ada. Tambahkan kolom ini pada baris judul (baris {table.header_row})."))
    if missing:
        return [], errors
    if not table.rows:
        return [], [RowError(None, None, "Berkas tidak berisi satu pun baris data TPS.")]

    parsed: list[StationRow] = []
    first_row_of: dict[tuple[str, int], int] = {}
    for row_no, values in table.rows:
        check = _RowChecker(row_no, values, errors)
        village_code = check.text("kode_desa")
        if not village_code:
            check.fail("kode_desa", "Kode desa kosong. Isi dengan kode Kemendagri desa/kelurahan, mis. 51.05.01.2010.")
        elif village_code not in village_codes:
            check.fail(
                "kode_desa",
                f"Kode desa '{village_code}' tidak dikenal atau di luar wilayah Anda. Periksa kode Kemendagri "
                "desa/kelurahan (mis. 51.05.01.2010), atau muat wilayahnya lebih dulu dengan 'sinergi load-regions'.",
            )
        else:
            kecamatan = check.text("kode_kecamatan")
            if kecamatan and kecamatan != parent_of(village_code):
                check.fail(
                    "kode_kecamatan",
                    f"Kode kecamatan '{kecamatan}' tidak cocok dengan kode desa {village_code} "
                    f"(seharusnya {parent_of(village_code)}). Perbaiki salah satunya.",
                )
        number = check.whole_number("nomor_tps", "Nomor TPS", "17")
        if number is not None and not 1 <= number <= 999:
            check.fail("nomor_tps", f"Nomor TPS {number} di luar rentang 1–999.")
        voters = check.whole_number("pemilih", "Jumlah pemilih", "250")
        if voters is not None and voters < 0:
            check.fail("pemilih", f"Jumlah pemilih {voters} tidak boleh negatif.")
        elif voters is not None and voters > max_voters:
            check.fail(
                "pemilih",
                f"Jumlah pemilih {voters} melebihi batas {max_voters} pemilih per TPS pada {election_name}. "
                "Perbaiki angkanya atau pecah TPS ini menjadi dua.",
            )
        latitude = check.decimal("latitude", "Lintang", "-8.5353")
        longitude = check.decimal("longitude", "Bujur", "115.4036")
        if (latitude is None) != (longitude is None) and check.ok:
            empty = "longitude" if longitude is None else "latitude"
            check.fail(empty, "Hanya satu koordinat yang diisi. Isi lintang dan bujur, atau kosongkan keduanya.")
        elif latitude is not None and longitude is not None and not inside_indonesia(latitude, longitude):
            check.fail(
                "latitude",
                f"Koordinat ({latitude}, {longitude}) berada di luar wilayah Indonesia. "
                "Periksa apakah lintang dan bujur tertukar atau tanda minus hilang.",
            )
        access = check.text("akses").lower() or "darat"
        if access not in ff.ACCESS_VALUES:
            check.fail("akses", f"Akses '{check.text('akses')}' tidak dikenal. Isi 'darat' atau 'laut'.")
        place = check.text("lokasi")
        if len(place) > 200:
            check.fail("lokasi", f"Lokasi terlalu panjang ({len(place)} karakter); paling banyak 200.")
        crossing = check.text("penyeberangan")
        if len(crossing) > 120:
            check.fail("penyeberangan", f"Penyeberangan terlalu panjang ({len(crossing)} karakter); paling banyak 120.")
        special = check.yes_no("lokasi_khusus")
        estimated = check.yes_no("koordinat_perkiraan")
        if village_code and number is not None:
            key = (village_code, number)
            if key in first_row_of:
                check.fail(
                    "nomor_tps",
                    f"TPS {number} desa {village_code} muncul dua kali (juga di baris {first_row_of[key]}). "
                    "Setiap TPS hanya boleh satu baris.",
                )
            else:
                first_row_of[key] = row_no
        if check.ok:
            parsed.append(
                StationRow(
                    row=row_no,
                    village_code=village_code,
                    number=number,
                    place=place,
                    latitude=latitude,
                    longitude=longitude,
                    voters=voters,
                    access=access,
                    crossing=crossing,
                    is_special_location=special,
                    location_estimated=estimated,
                )
            )
    return parsed, errors

"""The TPS file format shared by import and export (docs/import-formats.md). No Django import.

One row per TPS. Export writes every column; import requires `kode_desa`, `nomor_tps` and
`pemilih` and reads the others when present. Names (`nama_*`) are written for people and
ignored on import: the codes decide.
"""

COLUMNS = [
    "kode_kecamatan",
    "nama_kecamatan",
    "kode_desa",
    "nama_desa",
    "nomor_tps",
    "lokasi",
    "latitude",
    "longitude",
    "pemilih",
    "akses",
    "penyeberangan",
    "lokasi_khusus",
    "koordinat_perkiraan",
]
REQUIRED = ["kode_desa", "nomor_tps", "pemilih"]

YES = {"ya", "y", "yes", "true", "1"}
NO = {"tidak", "t", "no", "false", "0", ""}
ACCESS_VALUES = {"darat", "laut"}


def yes_no(value: bool) -> str:
    return "ya" if value else "tidak"


def format_coordinate(value: float | None) -> str:
    # Six decimals is about 0.1 m: more than enough, and it round-trips through Excel.
    return "" if value is None else f"{value:.6f}"

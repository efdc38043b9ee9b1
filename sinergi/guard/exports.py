"""The guard plan as CSV (one row per TPS) and Excel (TPS, posts, totals per Polsek), written
district by district as it is planned (`plan_rows.StreamedPlan`, `core/streaming.py`); the
formation file (template and export, docs/import-formats.md)."""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from openpyxl import Workbook

from sinergi.core.streaming import Sheet, Spool
from sinergi.core.writing import fill_sheet, save_workbook
from sinergi.guard import formation_file as ff
from sinergi.guard import planning
from sinergi.guard.plan_rows import DistrictPlan, StreamedPlan
from sinergi.stations.labels import tps_label

LEVEL_NAMES = ff.LEVEL_NAMES
TPS_COLUMNS = [
    "kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa", "nomor_tps", "kelas", "sumber_kelas",
    "pos", "jumlah_tps_pos", "polisi_pos", "linmas_pos",
]  # fmt: skip


POST_COLUMNS = ["Pos", "Kecamatan", "Kelas", "Jumlah TPS", "TPS", "Polisi", "Linmas"]
TOTAL_COLUMNS = ["Kecamatan", "Pos", "TPS", "Polisi dibutuhkan", "Linmas dibutuhkan", "Polisi tersedia", "Kekurangan"]


def tps_rows(district: DistrictPlan) -> Iterator[list[object]]:
    """One row per TPS of a district's plan, in code order, with its class and post."""
    post_of = {sid: post for post in district.plan.posts for sid in post.station_ids}
    for sid, kecamatan, kecamatan_name, village, village_name, number in district.stations:
        post = post_of.get(sid)
        level, source = district.classes[sid]
        posted = [post.number, len(post.station_ids), post.police, post.linmas] if post else ["", "", "", ""]
        yield [kecamatan, kecamatan_name, village, village_name, number, level, source, *posted]


def post_rows(district: DistrictPlan) -> Iterator[list[object]]:
    labels = {sid: tps_label(number, village_name) for sid, _, _, _, village_name, number in district.stations}
    for post in district.plan.posts:
        name = district.names.get(post.kecamatan_code, post.kecamatan_code)
        stations = ", ".join(labels[sid] for sid in post.station_ids)
        yield [post.number, name, LEVEL_NAMES.get(post.level, post.level), len(post.station_ids), stations, post.police, post.linmas]


def total_rows(totals: list[planning.KecamatanTotals], names: dict[str, str]) -> list[list[object]]:
    return [[names.get(t.kecamatan_code, t.kecamatan_code), t.posts, t.stations, t.police, t.linmas, t.available_police, t.shortage] for t in totals]


def plan_csv_rows(streamed: StreamedPlan) -> Iterator[list[object]]:
    """The CSV's rows (TPS_COLUMNS), planned district by district as they are written."""
    for district in streamed.districts():
        yield from tps_rows(district)


def plan_sheets(streamed: StreamedPlan) -> Iterator[Sheet]:
    """The workbook: TPS, Pos (kept in a temporary file while the TPS are written) and the totals
    per Polsek, planned district by district."""
    posts = Spool()

    def stations():
        yield TPS_COLUMNS
        for district in streamed.districts():
            yield from tps_rows(district)
            posts.extend(post_rows(district))

    yield Sheet("TPS", stations())
    yield Sheet("Pos", chain([POST_COLUMNS], posts))
    yield Sheet("Rekap Polsek", [TOTAL_COLUMNS, *total_rows(streamed.kecamatan_totals(), streamed.names)])


@dataclass(frozen=True)
class PersonnelLine:
    """One Polsek in the formation file: its kecamatan, and its personnel (None: not set yet)."""

    kecamatan_code: str
    kecamatan_name: str
    polsek: str
    available: int | None
    reinforcements: int | None


FORMATION_GUIDE = [
    "Petunjuk pengisian formasi pengamanan TPS dan personel Polsek.",
    "Lembar Formasi: satu baris per kelas pengamanan (kurang rawan, rawan, sangat rawan, khusus), masing-masing tepat sekali. "
    "Isi jumlah polisi, jumlah TPS dan jumlah Linmas untuk satu pos pengamanan.",
    "Contoh: kelas sangat rawan dengan 2 polisi dan 2 Linmas di setiap TPS ditulis 2 polisi, 1 TPS, 2 Linmas per pos.",
    "Lembar Personel: satu baris per Polsek. Isi personel yang tersedia untuk pengamanan TPS dan bantuan dari luar (BKO, boleh kosong = 0).",
    "Baris Polsek yang personelnya belum diisi kosong: isi angkanya atau hapus barisnya sebelum mengunggah.",
    "Hapus lembar Formasi bila hanya ingin mengubah personel, atau lembar Personel bila hanya ingin mengubah formasi.",
    "Semua atau tidak sama sekali: jika ada satu baris salah, tidak ada yang disimpan dan setiap kesalahan disebut baris dan kolomnya.",
]


def formation_xlsx(*, title: str, rules: dict[str, tuple[int, int, int]], personnel: list[PersonnelLine]) -> bytes:
    """The formation file: sheets Formasi and Personel in the import's format (re-importable as it
    is), and Petunjuk with how to fill them. `title` goes above each table (the reader skips it)."""
    workbook = Workbook()
    formation = workbook.active
    formation.title = "Formasi"
    personnel_sheet = workbook.create_sheet("Personel")
    tables = [
        (formation, list(ff.FORMATION_COLUMNS), [[ff.LEVEL_NAMES[level], *rules[level]] if level in rules else [ff.LEVEL_NAMES[level], None, None, None] for level in ff.LEVELS]),
        (
            personnel_sheet,
            list(ff.PERSONNEL_COLUMNS),
            [[p.kecamatan_code, p.kecamatan_name, p.polsek, p.available, p.reinforcements] for p in personnel],
        ),
    ]
    for sheet, headers, rows in tables:
        fill_sheet(sheet, headers, rows, title=title, min_width=12)
    for row in range(3, personnel_sheet.max_row + 1):
        personnel_sheet.cell(row=row, column=1).number_format = "@"  # a code stays text
    guide = workbook.create_sheet("Petunjuk")
    for line in FORMATION_GUIDE:
        guide.append([line])
    guide.column_dimensions["A"].width = 120
    return save_workbook(workbook)

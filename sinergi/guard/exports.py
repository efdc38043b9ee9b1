"""The guard plan as CSV (one row per TPS) and Excel (TPS, posts, totals per Polsek); the
formation file (template and export, docs/import-formats.md)."""

from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sinergi.core.tabular import save_workbook, write_csv
from sinergi.guard import formation_file as ff
from sinergi.guard.queries import GuardPlan

LEVEL_NAMES = ff.LEVEL_NAMES
TPS_COLUMNS = [
    "kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa", "nomor_tps", "kelas", "sumber_kelas",
    "pos", "jumlah_tps_pos", "polisi_pos", "linmas_pos",
]  # fmt: skip


def tps_rows(guard: GuardPlan) -> list[list[object]]:
    post_of = guard.post_of()
    rows = []
    for station in sorted(guard.stations.values(), key=lambda s: (s.village_id, s.number)):
        post = post_of.get(station.pk)
        level, source = guard.classes[station.pk]
        rows.append(
            [
                station.village.parent_id, station.village.parent.name, station.village_id, station.village.name, station.number,
                level, source,
                post.number if post else "", len(post.station_ids) if post else "", post.police if post else "", post.linmas if post else "",
            ]  # fmt: skip
        )
    return rows


def plan_csv(guard: GuardPlan) -> str:
    return write_csv(TPS_COLUMNS, tps_rows(guard))


def plan_xlsx(guard: GuardPlan) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "TPS"
    sheet.append(TPS_COLUMNS)
    for row in tps_rows(guard):
        sheet.append(row)
    posts = workbook.create_sheet("Pos")
    posts.append(["Pos", "Kecamatan", "Kelas", "Jumlah TPS", "TPS", "Polisi", "Linmas"])
    for post in guard.plan.posts:
        labels = ", ".join(str(guard.stations[sid]) for sid in post.station_ids)
        posts.append([post.number, guard.kecamatan_names.get(post.kecamatan_code, post.kecamatan_code), LEVEL_NAMES.get(post.level, post.level), len(post.station_ids), labels, post.police, post.linmas])
    totals = workbook.create_sheet("Rekap Polsek")
    totals.append(["Kecamatan", "Pos", "TPS", "Polisi dibutuhkan", "Linmas dibutuhkan", "Polisi tersedia", "Kekurangan"])
    for entry in guard.plan.kecamatans:
        totals.append([guard.kecamatan_names.get(entry.kecamatan_code, entry.kecamatan_code), entry.posts, entry.stations, entry.police, entry.linmas, entry.available_police, entry.shortage])
    for ws in workbook.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
    return save_workbook(workbook)


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
        sheet.append([title])
        sheet.cell(row=1, column=1).font = Font(bold=True)
        sheet.append(headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A3"
        for index, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(header) + 4)
    for row in range(3, personnel_sheet.max_row + 1):
        personnel_sheet.cell(row=row, column=1).number_format = "@"  # a code stays text
    guide = workbook.create_sheet("Petunjuk")
    for line in FORMATION_GUIDE:
        guide.append([line])
    guide.column_dimensions["A"].width = 120
    return save_workbook(workbook)

"""The guard plan as CSV (one row per TPS) and Excel (TPS, posts, totals per Polsek)."""


from openpyxl import Workbook
from openpyxl.styles import Font

from sinergi.core.tabular import save_workbook, write_csv
from sinergi.guard.queries import GuardPlan

LEVEL_NAMES = {"kurang_rawan": "Kurang rawan", "rawan": "Rawan", "sangat_rawan": "Sangat rawan", "khusus": "Khusus"}
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
        posts.append([post.number, guard.district_names.get(post.district_code, post.district_code), LEVEL_NAMES.get(post.level, post.level), len(post.station_ids), labels, post.police, post.linmas])
    totals = workbook.create_sheet("Rekap Polsek")
    totals.append(["Kecamatan", "Pos", "TPS", "Polisi dibutuhkan", "Linmas dibutuhkan", "Polisi tersedia", "Kekurangan"])
    for entry in guard.plan.districts:
        totals.append([guard.district_names.get(entry.district_code, entry.district_code), entry.posts, entry.stations, entry.police, entry.linmas, entry.available_police, entry.shortage])
    for ws in workbook.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
    return save_workbook(workbook)

"""Action items as an Excel workbook (one row per item, with its standing on the day exported)."""

from sinergi.coordination import followup
from sinergi.coordination.queries import ItemRow
from sinergi.core.writing import write_xlsx

COLUMNS = ["rapat", "tanggal_rapat", "tindak_lanjut", "uraian", "penanggung_jawab", "batas_waktu", "status", "selesai_pada", "terlambat_hari"]
STATE_LABEL = {followup.OVERDUE: "terlambat", followup.DUE_SOON: "segera jatuh tempo", followup.ON_TIME: "", followup.DONE: "", followup.CANCELLED: ""}


def items_xlsx(rows: list[ItemRow]) -> bytes:
    lines = []
    for row in rows:
        item, meeting = row.item, row.item.meeting
        lines.append(
            [
                meeting.title, meeting.starts_at.astimezone(meeting.time_zone).date(), item.title, item.description, item.owner.name, item.due_on,
                item.get_status_display() + (f" ({STATE_LABEL[row.state]})" if STATE_LABEL.get(row.state) else ""), item.done_on or "", row.days_late or "",
            ]  # fmt: skip
        )
    return write_xlsx(COLUMNS, lines, sheet_title="Tindak lanjut")

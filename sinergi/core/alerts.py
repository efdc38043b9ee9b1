"""The shape of an alert any part of Sinergi raises for the situation room.

Each app that has something to flag offers `situation_alerts(user, election, now) -> list[Alert]`
in its `queries.py`, already scoped to what `user` may see; the situation room gathers them.
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Alert:
    level: str  # "danger" (overdue, missing, late), "warning" (at risk, due soon) or "info"
    source: str  # which part raised it, shown as a tag: "Logistik", "Laporan PTPS", "Perkara", "Rapat"
    title: str  # one line in Indonesian, e.g. "Tindak lanjut terlambat: Pengawalan logistik ke TPS"
    detail: str = ""  # a second line: the deadline, the TPS, the agency
    url: str = ""  # the page that deals with it, if the viewer may open it
    at: datetime | None = None  # the moment it concerns (a deadline, a report's time), for ordering

    LEVELS = ("danger", "warning", "info")

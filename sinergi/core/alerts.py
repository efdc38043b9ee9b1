"""The shape of an alert any part of Sinergi raises for the situation room, and their order.

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
    # The moment of the event itself — the incident's time, the convoy's planned arrival, the
    # handover with the discrepancy, the deadline that passed or is coming — never the moment the
    # alert was computed: a clock-stamped alert would sort as news every time it is looked at.
    at: datetime | None = None

    LEVELS = ("danger", "warning", "info")


def ordered(alerts: list[Alert], now: datetime) -> list[Alert]:
    """`alerts` in the situation room's order: the most severe level first; within a level, the
    most recent event first. A deadline still ahead counts as now (it is current, not past), the
    nearest first; an alert without a moment goes last of its level. Stable otherwise."""
    rank = {level: n for n, level in enumerate(Alert.LEVELS)}

    def key(alert: Alert) -> tuple:
        if alert.at is None:
            return (rank.get(alert.level, len(rank)), 1, 0.0, 0.0)
        return (rank.get(alert.level, len(rank)), 0, -min(alert.at, now).timestamp(), alert.at.timestamp())

    return sorted(alerts, key=key)

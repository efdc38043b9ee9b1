"""Pure rules of action items: which statuses are open, when an item is overdue or due soon.

No Django, no clock: the caller passes `today`, the local day in the meeting's time zone (WITA
for Bali), so that an item due on 13 February is overdue from 00.00 WITA on the 14th, not from
08.00 WITA (midnight UTC).
"""

from datetime import date

OPEN = "terbuka"
IN_PROGRESS = "berjalan"
DONE = "selesai"
CANCELLED = "dibatalkan"
STATUSES = (OPEN, IN_PROGRESS, DONE, CANCELLED)
ACTIVE = (OPEN, IN_PROGRESS)  # still to be done: the ones that can be overdue

# How many days ahead an item counts as "due soon" (a warning in the situation room).
DUE_SOON_DAYS = 2

OVERDUE = "terlambat"
DUE_SOON = "segera"
ON_TIME = "tepat"


def state(status: str, due_on: date, today: date) -> str:
    """The item's standing on `today`: DONE or CANCELLED when closed; OVERDUE when still active
    and its due day has passed (the due day itself is still in time); DUE_SOON when it falls
    within DUE_SOON_DAYS days (today included); ON_TIME otherwise."""
    if status not in ACTIVE:
        return status
    if due_on < today:
        return OVERDUE
    if (due_on - today).days <= DUE_SOON_DAYS:
        return DUE_SOON
    return ON_TIME


def days_late(status: str, due_on: date, today: date) -> int:
    """Whole days past the due day for an active item (0 when in time or closed)."""
    if status not in ACTIVE or due_on >= today:
        return 0
    return (today - due_on).days

"""Where the situation room gathers from: dotted paths, loaded when used, so that a part of
Sinergi joins by appending one line (docs/situation-room.md).

An alert source is `situation_alerts(user, election, now) -> list[core.alerts.Alert]`, already
scoped to what `user` may see (an empty list, or PermissionDenied, for a user who may see none).
A count source is `f(user, election, now) -> list[Count]` for the key counts.
A source that raises anything else is logged and named in a small notice; the page stays up.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from sinergi.accounts.models import User
from sinergi.core.alerts import Alert, ordered
from sinergi.elections.models import Election

logger = logging.getLogger(__name__)

# What changes by the minute on voting day: in the live fragment, every 30 seconds.
ALERT_SOURCES = [
    "sinergi.logistics.queries.situation_alerts",
    "sinergi.supervisors.queries.situation_alerts",
    # Every overdue clock of an incident referred to the police (docs/incidents.md).
    "sinergi.supervisors.queries.incident_clock_alerts",
    "sinergi.risk.queries.situation_alerts",
    "sinergi.guard.post_queries.situation_alerts",
    # Voting-day intake not yet chained into the audit trail (Bawaslu's administrators).
    "sinergi.supervisors.sealing.situation_alerts",
]
COUNT_SOURCES: list[str] = []
# Deadlines counted in days (cases, meetings' action items): in their own card, loaded after the
# page and every five minutes, so that the 30-second fragment stays within its time budget.
DEADLINE_ALERT_SOURCES = [
    "sinergi.cases.queries.situation_alerts",
    "sinergi.coordination.queries.situation_alerts",
    "sinergi.visits.queries.situation_alerts",
]
DEADLINE_COUNT_SOURCES = [
    "sinergi.situation.sources.open_cases",
    "sinergi.situation.sources.open_action_items",
]


@dataclass(frozen=True)
class Count:
    """One key count a source adds: "Perkara berjalan: 3"."""

    label: str
    value: int
    detail: str = ""
    url: str = ""


def _gather(paths: list[str], user: User, election: Election, now: datetime) -> tuple[list, list[str]]:
    found, failed = [], []
    for path in paths:
        try:
            found.extend(import_string(path)(user, election, now))
        except PermissionDenied:
            continue  # nothing of this part for this user
        except Exception:
            logger.exception("situation room source %s failed", path)
            failed.append(path)
    return found, failed


def gather_alerts(user: User, election: Election, now: datetime, known: dict[str, list[Alert]] | None = None) -> tuple[list[Alert], list[str]]:
    """Every source's alerts in the room's order (`core.alerts.ordered`: danger first, then the most
    recent event first); and the sources that failed.
    `known`: alerts of sources (by dotted path) the caller has already computed from the same data."""
    known = known or {}
    alerts, failed = _gather([path for path in ALERT_SOURCES if path not in known], user, election, now)
    alerts += [alert for path, found in known.items() if path in ALERT_SOURCES for alert in found]
    return ordered(alerts, now), failed


def gather_counts(user: User, election: Election, now: datetime) -> tuple[list[Count], list[str]]:
    return _gather(COUNT_SOURCES, user, election, now)


def gather_deadlines(user: User, election: Election, now: datetime) -> tuple[list[Count], list[Alert], list[str]]:
    """The deadline card: its counts, its alerts (in the room's order: danger first, the deadline
    passed most recently first, then those still ahead, the nearest first) and the sources that failed."""
    counts, failed_counts = _gather(DEADLINE_COUNT_SOURCES, user, election, now)
    alerts, failed_alerts = _gather(DEADLINE_ALERT_SOURCES, user, election, now)
    return counts, ordered(alerts, now), failed_counts + failed_alerts


def every_alert(user: User, election: Election, now: datetime) -> tuple[list[Alert], list[str]]:
    """The full list behind the room's first few (`situasi/peringatan/`): every alert source, the
    live ones and the deadlines, in the room's order; and the sources that failed."""
    alerts, failed = _gather(ALERT_SOURCES + DEADLINE_ALERT_SOURCES, user, election, now)
    return ordered(alerts, now), failed


def open_cases(user: User, election: Election, now: datetime) -> list[Count]:
    """Cases not yet closed, of those the user may see (a count source)."""
    from django.urls import reverse

    from sinergi.cases import workflow
    from sinergi.cases.queries import cases_for

    n = cases_for(user, election).exclude(status__in=workflow.FINAL).count()
    return [Count(gettext("Perkara berjalan"), n, url=reverse("cases:list", args=[election.slug]))]


def open_action_items(user: User, election: Election, now: datetime) -> list[Count]:
    """Meetings' action items still open, and how many of them are overdue (a count source)."""
    from django.urls import reverse

    from sinergi.accounts.permissions import Perm, can
    from sinergi.coordination import followup
    from sinergi.coordination.queries import items_for, rows_of

    if not can(user, Perm.VIEW_MEETINGS):
        return []
    rows = rows_of(items_for(user, election).filter(status__in=followup.ACTIVE), now)
    overdue = sum(row.state == followup.OVERDUE for row in rows)
    detail = gettext("%(n)s terlambat") % {"n": overdue} if overdue else ""
    return [Count(gettext("Tindak lanjut rapat terbuka"), len(rows), detail, reverse("coordination:by_agency", args=[election.slug]))]

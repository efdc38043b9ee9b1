"""Reads of election logistics for the situation room and the board's confirmations, scoped to the
user's area. Sits above the board (`board.py`); the requirements are read in `requirement_queries.py`."""

from datetime import datetime

from django.urls import reverse

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.core.alerts import Alert
from sinergi.elections.models import Election
from sinergi.logistics.board import Board, board_for
from sinergi.logistics.models import Consignment
from sinergi.stations.queries import stations_visible_to

# How many TPS at risk of missing H-1 are listed one by one before they are summed up in one alert.
SITUATION_AT_RISK_LISTED = 10


def situation_alerts(user: User, election: Election, now: datetime) -> list[Alert]:
    """The status board's alerts for the situation room (`core/alerts.py`), as of `now`: convoys
    behind schedule and TPS past the H-1 deadline as "danger", discrepancies and TPS near it as
    "warning"; many TPS at risk become one alert. None for a user who may not see logistics."""
    if not can(user, Perm.VIEW_LOGISTICS):
        return []
    return board_alerts(board_for(user, election, now), election)


def board_alerts(board: Board, election: Election) -> list[Alert]:
    """`situation_alerts` of a board already computed (the situation room also shows its totals)."""
    board_url = reverse("logistics:board", args=[election.slug])
    late = board.as_of >= board.deadline
    alerts, at_risk = [], []
    for alert in board.alerts:
        url = reverse("logistics:consignment", args=[election.slug, alert.consignment_id]) if alert.consignment_id else board_url
        if alert.kind == "konvoi":
            alerts.append(Alert("danger", "Logistik", alert.text, "", board_url, alert.at))
        elif alert.kind == "temuan":
            alerts.append(Alert("warning", "Logistik", alert.text, "", url, alert.at))
        else:
            at_risk.append(Alert("danger" if late else "warning", "Logistik", alert.text, "", url, alert.at))
    if len(at_risk) > SITUATION_AT_RISK_LISTED:
        deadline = f"{board.deadline:%d-%m-%Y %H.%M}"
        title = f"{len(at_risk)} TPS belum menerima logistik lengkap; tenggat H-1 {deadline} " + ("sudah lewat" if late else "segera tiba")
        at_risk = [Alert("danger" if late else "warning", "Logistik", title, "", board_url, board.deadline)]
    return alerts + at_risk


def consignments_due(user: User, election: Election) -> int:
    """How many outbound consignments `custody.create_consignments` would make for the user's area."""
    require(user, Perm.VIEW_LOGISTICS)
    made = Consignment.objects.filter(election=election, direction=Consignment.Direction.OUT).values("station_id")
    return stations_visible_to(user, election).exclude(pk__in=made).count()


def returns_due(user: User, election: Election) -> int:
    """How many return consignments `custody.start_return` would make for the user's area: kits
    delivered to a KPPS whose return has not started."""
    require(user, Perm.VIEW_LOGISTICS)
    started = Consignment.objects.filter(election=election, direction=Consignment.Direction.BACK).values("station_id")
    return (
        Consignment.objects.filter(election=election, direction=Consignment.Direction.OUT, state=Consignment.State.DELIVERED)
        .filter(station__in=stations_visible_to(user, election).values("pk"))
        .exclude(station_id__in=started)
        .count()
    )

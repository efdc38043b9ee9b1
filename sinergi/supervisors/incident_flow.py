"""The life of a voting-day incident as rules, without Django (docs/incidents.md).

An incident is filed by a PTPS (state NEW). The supervisors of its area — Bawaslu Kabupaten or the
Panwascam of its kecamatan — refer it to the police (REFERRED) or close it as not a police matter
(CLOSED, with a reason). The police agency it was referred to (or escalated to) acknowledges it
(ACKNOWLEDGED), records its officers' arrival (ON_SITE) and the resolution (RESOLVED: what was done,
by whom, when). A clock runs from the referral: acknowledge within N minutes, arrive within M; the
first clock that runs out escalates the incident, once (the Polres joins as owner, Bawaslu
Kabupaten is told). Escalation changes no state: it adds an owner and a step.

Who acts is a side, not an agency kind: SUPERVISORS (the area's Bawaslu/Panwascam), POLICE (the
agency the incident is referred or escalated to), SYSTEM (the escalation clock).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

NEW = "baru"
REFERRED = "dirujuk"
ACKNOWLEDGED = "diterima"
ON_SITE = "di_lokasi"
RESOLVED = "selesai"
CLOSED = "ditutup"  # not a police matter
STATES = (NEW, REFERRED, ACKNOWLEDGED, ON_SITE, RESOLVED, CLOSED)
FINAL = (RESOLVED, CLOSED)
# The states in which a clock runs, and which one: waiting for the acknowledgement, then the arrival.
WAITING_ACKNOWLEDGEMENT = (REFERRED,)
WAITING_ARRIVAL = (REFERRED, ACKNOWLEDGED)

REFER = "rujuk"
ACKNOWLEDGE = "terima"
ARRIVE = "tiba"
RESOLVE = "selesaikan"
CLOSE = "tutup"
ESCALATE = "eskalasi"
ACTIONS = (REFER, ACKNOWLEDGE, ARRIVE, RESOLVE, CLOSE, ESCALATE)

SUPERVISORS = "pengawas"
POLICE = "polisi"
SYSTEM = "sistem"
SIDES = (SUPERVISORS, POLICE, SYSTEM)


@dataclass(frozen=True)
class Move:
    action: str
    to: str
    side: str


# Every transition the flow allows: state -> its moves. Anything else is refused.
TRANSITIONS: dict[str, tuple[Move, ...]] = {
    NEW: (Move(REFER, REFERRED, SUPERVISORS), Move(CLOSE, CLOSED, SUPERVISORS)),
    REFERRED: (Move(ACKNOWLEDGE, ACKNOWLEDGED, POLICE), Move(CLOSE, CLOSED, SUPERVISORS), Move(ESCALATE, REFERRED, SYSTEM)),
    # Once the police have taken it, Bawaslu may still close it as not theirs until they are on site.
    ACKNOWLEDGED: (Move(ARRIVE, ON_SITE, POLICE), Move(CLOSE, CLOSED, SUPERVISORS), Move(ESCALATE, ACKNOWLEDGED, SYSTEM)),
    ON_SITE: (Move(RESOLVE, RESOLVED, POLICE),),
    RESOLVED: (),
    CLOSED: (),
}


class TransitionRefused(Exception):
    """The incident's state does not allow this action by this side (the API answers 409)."""

    def __init__(self, state: str, action: str, side: str):
        self.state, self.action, self.side = state, action, side
        super().__init__(
            f"Langkah '{ACTION_LABELS.get(action, action)}' tidak dapat dilakukan oleh {SIDE_LABELS.get(side, side)} "
            f"pada kejadian berstatus '{STATE_LABELS.get(state, state)}'. Muat ulang halaman untuk melihat statusnya sekarang."
        )


STATE_LABELS = {
    NEW: "Baru",
    REFERRED: "Dirujuk ke polisi",
    ACKNOWLEDGED: "Diterima polisi",
    ON_SITE: "Polisi di lokasi",
    RESOLVED: "Selesai",
    CLOSED: "Ditutup (bukan ranah polisi)",
}
ACTION_LABELS = {REFER: "Rujuk", ACKNOWLEDGE: "Terima", ARRIVE: "Tiba di lokasi", RESOLVE: "Selesaikan", CLOSE: "Tutup", ESCALATE: "Eskalasi"}
SIDE_LABELS = {SUPERVISORS: "pengawas pemilu", POLICE: "kepolisian", SYSTEM: "sistem"}


def moves(state: str, side: str | None = None) -> tuple[Move, ...]:
    """The moves `state` allows, to `side` only when given."""
    return tuple(m for m in TRANSITIONS.get(state, ()) if side is None or m.side == side)


def allowed(state: str, action: str, side: str) -> bool:
    return any(m.action == action for m in moves(state, side))


def next_state(state: str, action: str, side: str) -> str:
    """The state after `action` by `side`, or TransitionRefused."""
    for move in moves(state, side):
        if move.action == action:
            return move.to
    raise TransitionRefused(state, action, side)


@dataclass(frozen=True)
class Timer:
    """Minutes to acknowledge and to arrive, counted from the referral."""

    acknowledge: int
    arrive: int


# Defaults when an election sets none (ResponseTimer rows override them), after docs/domain.md §11:
# a serious incident acknowledged within 10 minutes and reached within 30 on the mainland; the
# lesser ones more slowly. A Pilkada keeps the same clocks.
DEFAULT_TIMERS: dict[str, dict[str, Timer]] = {
    "pemilu": {"tinggi": Timer(10, 30), "sedang": Timer(20, 60), "rendah": Timer(60, 180)},
    "pilkada": {"tinggi": Timer(10, 30), "sedang": Timer(20, 60), "rendah": Timer(60, 180)},
}
# A TPS across the sea whose crossing the logistics network does not name: this many minutes more.
UNKNOWN_CROSSING_MINUTES = 60


def default_timer(election_kind: str, severity: str) -> Timer:
    return DEFAULT_TIMERS.get(election_kind, DEFAULT_TIMERS["pemilu"]).get(severity, Timer(60, 180))


def due_times(referred_at: datetime, timer: Timer, crossing_minutes: int = 0) -> tuple[datetime, datetime]:
    """(acknowledge by, arrive by) for an incident referred at `referred_at`: the crossing to the
    TPS lengthens the arrival only (acknowledging is a phone call away)."""
    acknowledge = referred_at + timedelta(minutes=timer.acknowledge)
    arrive = referred_at + timedelta(minutes=timer.arrive + max(crossing_minutes, 0))
    return acknowledge, max(arrive, acknowledge)


def overdue(state: str, acknowledge_due: datetime | None, arrival_due: datetime | None, now: datetime) -> str:
    """Which clock of an incident has run out at `now`: "terima" (not acknowledged in time),
    "tiba" (not on site in time), or "" (none, or no clock runs in its state)."""
    if state in WAITING_ACKNOWLEDGEMENT and acknowledge_due is not None and acknowledge_due <= now:
        return ACKNOWLEDGE
    if state in WAITING_ARRIVAL and arrival_due is not None and arrival_due <= now:
        return ARRIVE
    return ""


def escalates(state: str, escalated: bool, acknowledge_due: datetime | None, arrival_due: datetime | None, now: datetime) -> bool:
    """Whether the escalation clock fires now: a clock ran out and it never escalated before."""
    return not escalated and overdue(state, acknowledge_due, arrival_due, now) != "" and allowed(state, ESCALATE, SYSTEM)

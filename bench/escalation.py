"""Benchmark: incident escalation and notification hand-over during a full voting day (PostgreSQL, worker running).

The goal of issue 15: under a full voting day (2,596 Form A, 64 incidents, 649 posts checking in)
the escalation timers fire within 60 s of their due time at the 99th percentile, and a
notification is handed to its channel within 5 s of the event at p95.

Run from the repository root with the project's virtualenv:

    .venv/bin/python bench/escalation.py               # build the database, run the day, measure
    .venv/bin/python bench/escalation.py --reuse       # the same on the database already built
    .venv/bin/python bench/escalation.py --spread 60   # referrals over 1 minute instead of 2
    .venv/bin/python bench/escalation.py --sweep-only  # the scheduled checks lost: the sweep alone

What it does:
1. Drops and creates the database `sinergi_bench_escalation` on --server (unless --reuse; its URL
   is built here, DATABASE_URL is ignored, DEBUG off), migrates it and runs `sinergi demo`
   (Klungkung, 649 TPS of pemilu-2024, agencies, personas, PTPS roster, guard posts with their
   officers and the demo's own check-ins, the demo's simulated reports). Untimed fixture: e-mail
   addresses for the desk accounts that are told of incidents (Bawaslu, Polres, one desk account
   per Polsek), a field account for the PTPS of each TPS that will report an incident (its phone,
   from the roster, makes it reachable by SMS), an operator account that sets the election's
   response timers to 1 minute to acknowledge and 2 to arrive for every severity.
2. Starts the real worker as a subprocess: `sinergi worker` (django-tasks-db's worker on the
   database queue, its --interval, and the scheduler thread with --tick, which enqueues the
   sweep `incidents.escalation` every 30 s), running this checkout's code, e-mail on Django's
   console backend (no EMAIL_HOST) and SMS on the console backend: the "channel" is the worker's
   standard output, kept in a temporary file.
3. Writes the day through the services while the worker runs, in two threads:
   - field (spread over --day seconds): Form A for every stage of every TPS the demo lacks
     (`submit_report`, actor none as in bench/situation_room.py), and 649 guard-post check-ins
     (`guard.post_services.check_in` by the Polsek's field account, the service behind
     POST /api/v1/guard/check-ins): an arrival for each post that has none yet, patrol notes at
     the others for the rest (the demo fixes fewer posts than 649 TPS; the script prints how many);
   - desk (referrals spread over --spread seconds): 64 incidents, each filed by its PTPS
     (`submit_incident`) and referred 5 s later to its Polsek by the Bawaslu administrator
     (`incidents.refer`, which queues the escalation check at both due times). Of them, 32 are
     never answered (they must escalate on the acknowledgement clock, 1 minute); 11 at TPS on the
     mainland are acknowledged in time but nobody arrives (they must escalate on the arrival clock,
     2 minutes); 21 are acknowledged and reached in time by the Polsek (they must NOT escalate),
     8 of them resolved (told to the PTPS, Bawaslu and the Polsek).
4. Waits until --margin seconds after the last due time of an incident that must escalate, then
   measures from the database, for this run's rows only:
   - timers: per incident that must escalate, lag = `escalated_at` − its due time (the clock that
     ran out first); count, p50, p95, p99, max; whether the scheduled check or the sweep took it;
     that each escalated exactly once (one `eskalasi` step) and none of the others did;
   - hand-over: per Delivery of the incident notifications, and of every notification written
     during the run, `sent_at` − the Notification's `created_at` (the event); count, p50, p95,
     max, how many are not sent; split into event → task enqueued → task started → sent;
   - PASS/FAIL against the goals: timers p99 ≤ 60 s, hand-over p95 ≤ 5 s.
   With --sweep-only the desk deletes each referral's queued checks right after they are queued
   (a queue that lost them): the worker's periodic sweep is then the only way to escalate.
5. Stops the worker with SIGTERM (its clean stop removes its heartbeat row) and checks it did.

Writes nothing to the repository (the worker's output and SINERGI_VAR_DIR go to a temporary
directory). Figures for this machine: docs/benchmarks.md.
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import national_registry as registry  # noqa: E402  (bench/ is on the path above)

DB_NAME = "sinergi_bench_escalation"
SEED = 20261205
STAGES = ("persiapan", "pemungutan", "penghitungan", "pengiriman")
ANSWERS = {
    "persiapan": {"kotak_tersegel": True, "logistik_lengkap": True, "dpt_ditempel": True, "kpps_hadir": 7},
    "pemungutan": {"dibuka_tepat_waktu": True, "saksi_hadir": 4, "pemilih_tidak_berhak": False, "intimidasi": False},
    "penghitungan": {"penghitungan_terbuka": True, "keberatan_saksi": False},
    "pengiriman": {"dikawal": True, "segel_utuh": True},
}
# stage -> local (hour, minute) window of the observed time written on the report
WINDOWS = {"persiapan": ((6, 30), (7, 25)), "pemungutan": ((11, 0), (13, 20)), "penghitungan": ((17, 0), (20, 50)), "pengiriman": ((21, 0), (23, 30))}
CHECK_INS = 649
# The incidents: never answered / acknowledged but nobody arrives / answered and reached in time.
SILENT, NO_ARRIVAL, ON_TIME, RESOLVED = 32, 11, 21, 8
ACK_MINUTES, ARRIVE_MINUTES = 1, 2
REFER_AFTER = 5.0  # seconds between a PTPS filing an incident and Bawaslu referring it
GOAL_TIMER_P99, GOAL_DELIVERY_P95 = 60.0, 5.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reuse", action="store_true", help=f"keep {DB_NAME} as it is: no drop, no demo (Form A already there is not filed again)")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL, no database")
    parser.add_argument("--spread", type=float, default=120.0, help="seconds over which the 64 referrals are spread (default %(default)s)")
    parser.add_argument("--day", type=float, default=180.0, help="seconds over which Form A and check-ins are written (default %(default)s)")
    parser.add_argument("--margin", type=float, default=90.0, help="seconds waited after the last due time before measuring (default %(default)s)")
    parser.add_argument("--interval", type=float, default=1.0, help="the worker's --interval, seconds between polls of an empty queue (default %(default)s, its default)")
    parser.add_argument("--tick", type=float, default=None, help="the worker's --tick, seconds between scheduler ticks (default: the worker's own, 10)")
    parser.add_argument("--sweep-only", action="store_true", help="drop each referral's queued escalation checks as soon as they are queued: the sweep alone must escalate")
    return parser.parse_args()


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile, as in bench/situation_room.py."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def summary(values: list[float]) -> str:
    if not values:
        return "n 0"
    return f"n {len(values)}, p50 {percentile(values, 50):.2f} s, p95 {percentile(values, 95):.2f} s, p99 {percentile(values, 99):.2f} s, max {max(values):.2f} s"


# --- set-up ---------------------------------------------------------------------------------------
def setup(server: str, var_dir: str) -> None:
    os.environ["SINERGI_VAR_DIR"] = var_dir
    os.environ["SMS_BACKEND"] = "console"
    os.environ["TASK_QUEUE"] = "database"
    os.environ.pop("EMAIL_HOST", None)  # no SMTP: Django's console e-mail backend (settings.MAILERS)
    registry.setup_django(server, DB_NAME)


def load_demo() -> None:
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))
    print(f"sinergi demo: {time.perf_counter() - start:.0f} s")


def with_email(user, email: str):
    """The account as it is, with an e-mail address (through the accounts service)."""
    from sinergi.accounts.services import ensure_user

    return ensure_user(
        actor=None, username=user.username, agency=user.agency, role=user.role, full_name=user.first_name, password="-", area_code=user.area_id, email=email
    )


def fixture(election, rng: random.Random):
    """Accounts reachable outside the app, the response timers, and the incidents' plan. Returns
    (operator, bawaslu, desk account per Polsek id, field account per Polsek id, plan)."""
    from sinergi.accounts.models import Agency, User
    from sinergi.accounts.services import ensure_user
    from sinergi.stations.models import Station
    from sinergi.supervisors.incidents import polsek_for
    from sinergi.supervisors.models import Assignment, Supervisor
    from sinergi.supervisors.response_timers import set_timers

    operator = User.objects.filter(username="bench-operator").first() or User.objects.create_superuser("bench-operator", "operator@bench.invalid", None)
    set_timers(actor=operator, election=election, values={s: (ACK_MINUTES, ARRIVE_MINUTES) for s in ("tinggi", "sedang", "rendah")})
    bawaslu = with_email(User.objects.select_related("agency").get(username="bawaslu"), "bawaslu@bench.invalid")
    with_email(User.objects.select_related("agency").get(username="polres"), "polres@bench.invalid")
    desks, fields = {}, {}
    for polsek in Agency.objects.filter(kind=Agency.Kind.POLSEK).order_by("slug"):
        short = polsek.slug.removeprefix("polsek-")
        existing = User.objects.select_related("agency").filter(agency=polsek, role__in=[User.Role.STAFF, User.Role.ADMIN], is_active=True).order_by("pk").first()
        if existing is not None:
            desks[polsek.pk] = with_email(existing, f"{existing.username}@bench.invalid")
        else:
            desks[polsek.pk] = ensure_user(actor=None, username=f"kapolsek-{short}", agency=polsek, role=User.Role.STAFF,
                                           full_name=f"Kapolsek {polsek.name} (bench)", password=uuid.uuid4().hex, email=f"kapolsek-{short}@bench.invalid")  # fmt: skip
        fields[polsek.pk] = User.objects.filter(agency=polsek, role=User.Role.FIELD, username__startswith="petugas-").first()

    stations = list(Station.objects.filter(election=election).select_related("village", "election").order_by("village_id", "number"))
    land = [s for s in stations if s.access != Station.Access.SEA]
    no_arrival = rng.sample(land, NO_ARRIVAL)
    rest = rng.sample([s for s in stations if s not in no_arrival], SILENT + ON_TIME)
    kinds = ["no_arrival"] * NO_ARRIVAL + ["silent"] * SILENT + ["on_time"] * ON_TIME
    chosen = no_arrival + rest
    order = list(range(len(chosen)))
    rng.shuffle(order)
    pkds = {a.region_id: a for a in Agency.objects.filter(kind=Agency.Kind.PKD)}
    posts = {a.station_id: a for a in Assignment.objects.filter(election=election, role=Assignment.Role.PTPS, status__in=Assignment.ACTIVE, station__in=chosen).select_related("supervisor__user")}
    plan, resolved = [], 0
    for n in order:
        station, kind = chosen[n], kinds[n]
        post = posts[station.pk]
        ptps = post.supervisor.user
        if ptps is None:
            ptps = ensure_user(actor=None, username=f"ptps-bench-{station.pk}", agency=pkds[station.village_id], role=User.Role.FIELD,
                               full_name=f"PTPS TPS {station.number} {station.village.name} (bench)", password=uuid.uuid4().hex)  # fmt: skip
            Supervisor.objects.filter(pk=post.supervisor_id).update(user=ptps)  # as supervisors/demo.py links its field account
        polsek = polsek_for(station)
        resolve = kind == "on_time" and resolved < RESOLVED
        resolved += resolve
        plan.append({"station": station, "kind": kind, "resolve": resolve, "ptps": ptps, "polsek": polsek, "police": desks[polsek.pk]})
    return operator, bawaslu, fields, plan


# --- the worker -----------------------------------------------------------------------------------
def start_worker(server: str, var_dir: str, interval: float, tick: float | None, log_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": f"{server}/{DB_NAME}",
        "DEBUG": "0",
        "PYTHONPATH": str(REPO),
        "PYTHONUNBUFFERED": "1",
        "SINERGI_VAR_DIR": var_dir,
        "SMS_BACKEND": "console",
        "TASK_QUEUE": "database",
    }
    env.pop("EMAIL_HOST", None)
    code = f"import sys; sys.path.insert(0, {str(REPO)!r}); from sinergi.__main__ import main; main(['sinergi', *sys.argv[1:]])"
    command = [sys.executable, "-c", code, "worker", "--interval", str(interval)]
    if tick is not None:
        command += ["--tick", str(tick)]
    log = open(log_path, "w")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tempfile.gettempdir())


def wait_for_heartbeat(worker: subprocess.Popen, timeout: float = 60.0) -> None:
    from sinergi.core.models import WorkerHeartbeat

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if worker.poll() is not None:
            raise SystemExit(f"the worker ended with code {worker.returncode} before its first heartbeat")
        if WorkerHeartbeat.objects.exists():
            return
        time.sleep(0.2)
    raise SystemExit("no heartbeat from the worker within 60 s")


def stop_worker(worker: subprocess.Popen) -> tuple[int, bool]:
    """SIGTERM, as a service manager stops it; (exit code, heartbeat row removed)."""
    from sinergi.core.models import WorkerHeartbeat

    worker.send_signal(signal.SIGTERM)
    try:
        code = worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        worker.kill()
        code = worker.wait()
    return code, not WorkerHeartbeat.objects.exists()


# --- the day --------------------------------------------------------------------------------------
class Clock:
    """Runs a thread's actions at their planned offsets from `t0` and notes how late each one started."""

    def __init__(self, t0: float):
        self.t0, self.late = t0, []

    def at(self, offset: float) -> None:
        delay = self.t0 + offset - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        else:
            self.late.append(-delay)


def field_thread(election, clock: Clock, day: float, rng: random.Random, counts: dict) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.db import connection

    from sinergi.guard.models import GuardPost, PostCheckIn
    from sinergi.guard.post_services import check_in
    from sinergi.stations.models import Station
    from sinergi.supervisors.models import Report
    from sinergi.supervisors.reports import submit_report
    from sinergi.supervisors.sealing import seal_pending

    try:
        tz = ZoneInfo(election.time_zone)
        day_ = election.voting_date
        stations = list(Station.objects.filter(election=election).select_related("village", "election").order_by("village_id", "number"))
        have = set(Report.objects.filter(election=election).values_list("station_id", "stage"))
        work = []
        for stage in STAGES:
            (h0, m0), (h1, m1) = WINDOWS[stage]
            for station in stations:
                if (station.pk, stage) not in have:
                    minute = rng.randint(h0 * 60 + m0, h1 * 60 + m1)
                    work.append(("report", station, stage, datetime(day_.year, day_.month, day_.day, minute // 60, minute % 60, tzinfo=tz)))
        posts = list(GuardPost.objects.filter(election=election, retired_at__isnull=True).select_related("polsek", "election").order_by("number"))
        counts["posts"] = len(posts)
        arrived = set(PostCheckIn.objects.filter(post__in=posts, kind=PostCheckIn.Kind.ARRIVAL).values_list("post_id", flat=True))
        accounts = counts["field_accounts"]
        check_ins = [("hadir", p) for p in posts if p.pk not in arrived][:CHECK_INS]
        check_ins += [("patroli", posts[n % len(posts)]) for n in range(CHECK_INS - len(check_ins))]
        work += [("check_in", post, kind, None) for kind, post in check_ins]
        rng.shuffle(work)
        for n, (what, target, detail, observed) in enumerate(work):
            clock.at(day * n / len(work))
            if what == "report":
                submit_report(actor=None, station=target, stage=detail, client_id=uuid.uuid4(), answers=ANSWERS[detail], narrative="", observed_at=observed, via=Report.Via.APP)
                counts["reports"] += 1
            else:
                from django.utils import timezone

                notes = "Patroli sekitar TPS: situasi aman (bench)." if detail == "patroli" else ""
                check_in(actor=accounts[target.polsek_id], post=target, client_id=uuid.uuid4(), at=timezone.now(), kind=detail, linmas_present=target.linmas,
                         police_present=target.police, notes=notes)  # fmt: skip
                counts[f"check_in_{detail}"] += 1
        seal_pending()
    except BaseException as error:  # noqa: BLE001  (handed to the main thread)
        counts["error"] = error
    finally:
        connection.close()


def desk_thread(plan: list[dict], bawaslu, clock: Clock, spread: float, rng: random.Random, counts: dict, sweep_only: bool) -> None:
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from sinergi.supervisors import incidents
    from sinergi.supervisors.models import Incident, Report
    from sinergi.supervisors.reports import submit_incident

    try:
        categories = list(Incident.Category.values)
        actions = []  # (offset, order, what, item)
        for n, item in enumerate(plan):
            filed = spread * n / len(plan) + rng.uniform(0, spread / len(plan) / 2)
            referred = filed + REFER_AFTER
            actions += [(filed, n, "file", item), (referred, n, "refer", item)]
            if item["kind"] in ("on_time", "no_arrival"):
                acknowledged = referred + rng.uniform(15, 40)  # well before the 60 s due time
                actions.append((acknowledged, n, "acknowledge", item))
                if item["kind"] == "on_time":
                    arrived = acknowledged + rng.uniform(10, 100 - (acknowledged - referred))  # by 100 s, well before 120 s
                    actions.append((arrived, n, "arrive", item))
                    if item["resolve"]:
                        actions.append((arrived + rng.uniform(10, 40), n, "resolve", item))
        actions.sort(key=lambda a: (a[0], a[1]))
        for offset, _n, what, item in actions:
            clock.at(offset)
            if what == "file":
                roll = rng.random()
                severity = "tinggi" if roll < 0.1 else "sedang" if roll < 0.4 else "rendah"
                item["incident"], _created = submit_incident(actor=item["ptps"], station=item["station"], client_id=uuid.uuid4(), category=rng.choice(categories),
                                                            severity=severity, occurred_at=timezone.now() - timedelta(minutes=2),
                                                            description="Kejadian simulasi untuk pengukuran eskalasi.", via=Report.Via.APP)  # fmt: skip
            elif what == "refer":
                incidents.refer(actor=bawaslu, incident=item["incident"], client_id=uuid.uuid4(), agency=item["polsek"], note="Mohon segera ditangani.")
                if sweep_only:  # as if the queue lost the checks (enqueued on commit, so already there)
                    lost = DBTaskResult.objects.filter(task_path="sinergi.supervisors.tasks.escalate_incident", status="READY", args_kwargs__args=[item["incident"].pk])
                    counts["dropped"] += lost.delete()[0]
            elif what == "acknowledge":
                incidents.acknowledge(actor=item["police"], incident=item["incident"], client_id=uuid.uuid4())
            elif what == "arrive":
                incidents.arrive(actor=item["police"], incident=item["incident"], client_id=uuid.uuid4())
            else:
                incidents.resolve(actor=item["police"], incident=item["incident"], client_id=uuid.uuid4(), done="Mediasi; situasi kondusif.", done_by="Bhabinkamtibmas")
            counts[what] += 1
    except BaseException as error:  # noqa: BLE001  (handed to the main thread)
        counts["error"] = error
    finally:
        connection.close()


class LoadSampler(threading.Thread):
    """The 1-minute load average every 5 s while the day runs (the machine is shared)."""

    def __init__(self):
        super().__init__(name="load", daemon=True)
        self.samples, self.stop = [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self.stop.wait(5)


# --- measuring ------------------------------------------------------------------------------------
def measure_timers(plan: list[dict]) -> tuple[list[float], dict]:
    """Lags of the incidents that must escalate, and the checks."""
    from django_tasks_db.models import DBTaskResult

    from sinergi.supervisors import incident_flow as flow
    from sinergi.supervisors.models import Incident, IncidentStep

    ids = [item["incident"].pk for item in plan]
    incidents = {i.pk: i for i in Incident.objects.filter(pk__in=ids)}
    steps: dict[int, dict[str, list]] = {pk: {} for pk in ids}
    for incident_id, action, at in IncidentStep.objects.filter(incident_id__in=ids).values_list("incident_id", "action", "at"):
        steps[incident_id].setdefault(action, []).append(at)
    by_task = set()
    starts = []  # started_at − run_after of every scheduled check (also those that found nothing to do)
    for row in DBTaskResult.objects.filter(task_path="sinergi.supervisors.tasks.escalate_incident").values("args_kwargs", "return_value", "run_after", "started_at"):
        incident_id = row["args_kwargs"]["args"][0]
        if incident_id in incidents:
            if row["return_value"] is True:
                by_task.add(incident_id)
            if row["started_at"] is not None:
                starts.append((row["started_at"] - row["run_after"]).total_seconds())
    lags, checks = [], {"escalate": 0, "escalated_once": 0, "escalated_twice": 0, "missed": [], "wrongly": [], "by_task": 0, "by_sweep": 0, "clock": {}}
    for pk, incident in incidents.items():
        acks, arrivals = steps[pk].get(flow.ACKNOWLEDGE, []), steps[pk].get(flow.ARRIVE, [])
        # Which clock ran out first, judged from the steps' own times (not from the plan).
        if not acks or min(acks) > incident.acknowledge_due:
            due, clock = incident.acknowledge_due, "terima"
        elif not arrivals or min(arrivals) > incident.arrival_due:
            due, clock = incident.arrival_due, "tiba"
        else:
            due, clock = None, ""
        escalations = len(steps[pk].get(flow.ESCALATE, []))
        if due is None:
            if escalations or incident.escalated_at is not None:
                checks["wrongly"].append(pk)
            continue
        checks["escalate"] += 1
        checks["clock"][clock] = checks["clock"].get(clock, 0) + 1
        if incident.escalated_at is None or escalations == 0:
            checks["missed"].append(pk)
            continue
        checks["escalated_once" if escalations == 1 else "escalated_twice"] += 1
        checks["by_task" if pk in by_task else "by_sweep"] += 1
        lags.append((incident.escalated_at - due).total_seconds())
    checks["task_starts"] = starts
    return lags, checks


def measure_deliveries(since) -> dict:
    """Hand-over latencies of the deliveries of notifications written since `since`."""
    from django_tasks_db.models import DBTaskResult

    from sinergi.notifications.models import Delivery

    tasks = {}
    for row in DBTaskResult.objects.filter(task_path="sinergi.notifications.tasks.deliver", enqueued_at__gte=since).values("args_kwargs", "enqueued_at", "started_at"):
        tasks.setdefault(row["args_kwargs"]["args"][0], row)  # the first attempt's task
    result = {}
    rows = list(
        Delivery.objects.filter(notification__created_at__gte=since).values_list("pk", "channel", "status", "sent_at", "notification__created_at", "notification__kind")
    )
    for label, wanted in (("incident notifications", lambda kind: kind.startswith("incident.")), ("all notifications of the run", lambda kind: True)):
        chosen = [r for r in rows if wanted(r[5])]
        sent = [r for r in chosen if r[3] is not None]
        parts = {"event → enqueued": [], "enqueued → started": [], "started → sent": []}
        for pk, _channel, _status, sent_at, created, _kind in sent:
            task = tasks.get(pk)
            if task and task["started_at"]:
                parts["event → enqueued"].append((task["enqueued_at"] - created).total_seconds())
                parts["enqueued → started"].append((task["started_at"] - task["enqueued_at"]).total_seconds())
                parts["started → sent"].append((sent_at - task["started_at"]).total_seconds())
        result[label] = {
            "count": len(chosen),
            "latencies": [(r[3] - r[4]).total_seconds() for r in sent],
            "not_sent": len(chosen) - len(sent),
            "by_kind": _count(r[5] for r in chosen),
            "by_channel": _count(r[1] for r in chosen),
            "parts": parts,
        }
    return result


def _count(values) -> dict:
    found: dict = {}
    for value in values:
        found[value] = found.get(value, 0) + 1
    return dict(sorted(found.items()))


def describe(election) -> None:
    from sinergi.guard.models import GuardPost, PostCheckIn
    from sinergi.stations.models import Station
    from sinergi.supervisors.models import Incident, Report

    e = {"election": election}
    print(
        f"data: {Station.objects.filter(**e).count()} TPS; {Report.objects.filter(**e).count()} Form A reports "
        f"({Report.objects.filter(**e).values('station_id', 'stage').distinct().count()} TPS x stage); {Incident.objects.filter(**e).count()} incidents; "
        f"{GuardPost.objects.filter(**e, retired_at__isnull=True).count()} guard posts, {PostCheckIn.objects.filter(post__election=election).count()} check-ins"
    )


def main() -> None:
    args = parse_args()
    wall = time.perf_counter()
    var_dir = tempfile.mkdtemp(prefix="sinergi-bench-escalation-")
    if not args.reuse:
        registry.recreate_database(args.server, DB_NAME)
    setup(args.server, var_dir)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from sinergi.elections.models import Election
    from sinergi.guard.models import GuardPost

    call_command("migrate", verbosity=0)
    if not args.reuse:
        load_demo()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(f"PostgreSQL {cursor.fetchone()[0]}, Python {sys.version.split()[0]}")
    election = Election.objects.get(slug="pemilu-2024")
    rng = random.Random(SEED)
    start = time.perf_counter()
    _operator, bawaslu, fields, plan = fixture(election, rng)
    print(f"fixture (accounts, timers {ACK_MINUTES}/{ARRIVE_MINUTES} min): {time.perf_counter() - start:.0f} s")
    describe(election)

    log_path = Path(var_dir) / "worker.log"
    since = timezone.now()  # the run's notifications: those the worker's first ticks make too
    print(f"run started {since:%Y-%m-%d %H:%M:%S} UTC")
    worker = start_worker(args.server, var_dir, args.interval, args.tick, log_path)
    try:
        wait_for_heartbeat(worker)
        print(f"load average before the day: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"worker pid {worker.pid} up (--interval {args.interval:g}, --tick {args.tick if args.tick is not None else 'default'}); its output: {log_path}")
        time.sleep(3)  # let it drain what the demo queued (its broadcast's SMS) before the day starts
        load = LoadSampler()
        load.start()
        t0 = time.monotonic()
        counts = {k: 0 for k in ("reports", "check_in_hadir", "check_in_patroli", "file", "refer", "acknowledge", "arrive", "resolve", "dropped")}
        counts["field_accounts"] = fields
        desk_counts = dict(counts)
        field_clock, desk_clock = Clock(t0), Clock(t0)
        threads = [
            threading.Thread(target=field_thread, args=(election, field_clock, args.day, random.Random(SEED + 1), counts), name="field"),
            threading.Thread(target=desk_thread, args=(plan, bawaslu, desk_clock, args.spread, random.Random(SEED + 2), desk_counts, args.sweep_only), name="desk"),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for found in (counts, desk_counts):
            if "error" in found:
                raise found["error"]
        written = time.monotonic() - t0
        posts = GuardPost.objects.filter(election=election, retired_at__isnull=True).count()
        print(
            f"day written in {written:.0f} s: {counts['reports']} Form A, {counts['check_in_hadir']} arrival check-ins + {counts['check_in_patroli']} patrol notes "
            f"at {posts} guard posts; {desk_counts['file']} incidents filed, {desk_counts['refer']} referred, {desk_counts['acknowledge']} acknowledged, "
            f"{desk_counts['arrive']} reached, {desk_counts['resolve']} resolved"
            + (f"; {desk_counts['dropped']} queued escalation checks dropped (--sweep-only)" if args.sweep_only else "")
        )
        print(
            f"writers behind schedule: field max {max(field_clock.late, default=0):.2f} s ({len(field_clock.late)} of its writes late), "
            f"desk max {max(desk_clock.late, default=0):.2f} s ({len(desk_clock.late)} of its steps late)"
        )
        from sinergi.supervisors.models import Incident

        due = {i.pk: (i.acknowledge_due, i.arrival_due) for i in Incident.objects.filter(pk__in=[item["incident"].pk for item in plan])}
        last_due = max(due[item["incident"].pk][0 if item["kind"] == "silent" else 1] for item in plan if item["kind"] != "on_time")
        wait = (last_due - timezone.now()).total_seconds() + args.margin
        print(f"waiting {max(wait, 0):.0f} s: {args.margin:g} s past the last due time; load average {os.getloadavg()[0]:.2f}")
        if wait > 0:
            time.sleep(wait)
        load.stop.set()
        print(f"load average (1 min) during the day: mean {sum(load.samples) / len(load.samples):.2f}, max {max(load.samples):.2f} on {os.cpu_count()} cores")
        lags, checks = measure_timers(plan)
        deliveries = measure_deliveries(since)
    finally:
        code, clean = stop_worker(worker)
    print(f"worker stopped: exit code {code}, heartbeat row {'removed' if clean else 'LEFT BEHIND'}")

    log_text = log_path.read_text(errors="replace")
    print(f"worker output: {log_text.count('-' * 79)} e-mails and {log_text.count('SMS ke ')} SMS handed to the console backends")
    print("\nTimers (lag = escalated_at − due time of the clock that ran out first):")
    print(f"  must escalate: {checks['escalate']} (acknowledgement clock {checks['clock'].get('terima', 0)}, arrival clock {checks['clock'].get('tiba', 0)}); "
          f"escalated exactly once {checks['escalated_once']}, twice or more {checks['escalated_twice']}, missed {len(checks['missed'])} {checks['missed'] or ''}")  # fmt: skip
    print(f"  must not escalate: {len(plan) - checks['escalate']}; escalated wrongly {len(checks['wrongly'])} {checks['wrongly'] or ''}")
    print(f"  taken by the scheduled check {checks['by_task']}, by the sweep {checks['by_sweep']}")
    print(f"  lag: {summary(lags)}")
    print(f"  scheduled checks started after their run_after: {summary(checks['task_starts'])}")
    print("\nHand-over (sent_at − the notification's created_at):")
    for label, found in deliveries.items():
        print(f"  {label}: {found['count']} deliveries, {found['not_sent']} not sent; by kind {found['by_kind']}; by channel {found['by_channel']}")
        print(f"    latency: {summary(found['latencies'])}")
        for part, values in found["parts"].items():
            print(f"    {part}: {summary(values)}")

    timer_ok = bool(lags) and percentile(lags, 99) <= GOAL_TIMER_P99 and not checks["missed"] and not checks["wrongly"] and not checks["escalated_twice"]
    incident_latencies = deliveries["incident notifications"]["latencies"]
    delivery_ok = bool(incident_latencies) and percentile(incident_latencies, 95) <= GOAL_DELIVERY_P95 and not deliveries["incident notifications"]["not_sent"]
    print(f"\ngoal timers p99 ≤ {GOAL_TIMER_P99:g} s, each exactly once: {'PASS' if timer_ok else 'FAIL'}" + (f" (p99 {percentile(lags, 99):.2f} s)" if lags else ""))
    print(f"goal hand-over p95 ≤ {GOAL_DELIVERY_P95:g} s, all sent: {'PASS' if delivery_ok else 'FAIL'}"
          + (f" (p95 {percentile(incident_latencies, 95):.2f} s)" if incident_latencies else ""))  # fmt: skip
    print(f"run ended {timezone.now():%Y-%m-%d %H:%M:%S} UTC; wall time: {time.perf_counter() - wall:.0f} s")


if __name__ == "__main__":
    main()

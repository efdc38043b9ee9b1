"""What bench/ingest.py and bench/ingest_faults.py share: the throwaway database with its PTPS
accounts, the gunicorn server, and the HTTP load generator.

The load generator is plain Python (http.client, one keep-alive connection per client thread,
several processes) so that anyone with the project's virtualenv can run it; it runs on the same
machine as the server and takes part of its CPU, which the figures include.
"""

import http.client
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
# BENCH_INGEST_DB: another name, so that two people benchmarking on one server do not drop each other's database.
DB_NAME = os.environ.get("BENCH_INGEST_DB", "sinergi_bench_ingest")
SERVER = "postgres://sinergi@127.0.0.1:5432"
SECRET = "benchmark-only-key-for-a-throwaway-database"
ELECTION = "pemilu-2024"

# Answers that pass the Pemilu 2024 checklists (supervisors/reports.py PRESET), per stage.
ANSWERS = {
    "persiapan": {"kotak_tersegel": True, "logistik_lengkap": True, "dpt_ditempel": True, "kpps_hadir": 7},
    "pemungutan": {"dibuka_tepat_waktu": True, "saksi_hadir": 3, "pemilih_tidak_berhak": False, "intimidasi": False},
    "penghitungan": {"penghitungan_terbuka": True, "keberatan_saksi": False},
    "pengiriman": {"dikawal": True, "segel_utuh": True},
}


def server_env(server: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"{server}/{DB_NAME}",
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "AUDIT_KEY": "benchmark-only-audit-key-for-a-throwaway-database",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DJANGO_SETTINGS_MODULE": "ingest_settings",
        "PYTHONPATH": f"{BENCH}{os.pathsep}{REPO}",
    }


def setup_django(server: str) -> None:
    os.environ.update(server_env(server))
    sys.path[:0] = [str(BENCH), str(REPO)]
    import django

    django.setup()


def prepare(server: str, accounts: int, reuse: bool = False, districts: int = 1) -> list[dict]:
    """Drop and rebuild the database: migrations, Klungkung with its TPS and demo PTPS, a PTPS
    login and API token for `accounts` TPS spread over the district, a Bawaslu token for the
    batch endpoint, and the baseline table. Returns the clients' credentials. `reuse`: keep the
    database of an earlier run, with fresh tokens, the baseline table emptied, and every report
    an earlier run left unchained chained now (so that no phase pays for an earlier one's).
    `districts` > 1: the accounts are shared between Klungkung and that many less one fictitious
    districts (bench/ingest_districts.py), whose reports go to audit partitions of their own."""
    if reuse:
        return _fresh_tokens(server)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    setup_django(server)
    from django.core.management import call_command
    from django.db import connection

    from sinergi.accounts import demo as accounts_demo
    from sinergi.accounts.models import Agency, User
    from sinergi.accounts.services import create_token, ensure_user
    from sinergi.elections.services import install_preset
    from sinergi.regions import demo as regions_demo
    from sinergi.stations import demo as stations_demo
    from sinergi.supervisors import demo as supervisors_demo
    from sinergi.supervisors.models import Assignment, Supervisor

    call_command("migrate", verbosity=0)
    regions_demo.load_klungkung()
    election = install_preset(actor=None, slug=ELECTION)
    accounts_demo.seed(regions_demo.KLUNGKUNG_CODE)
    stations_demo.seed(election, regions_demo.KLUNGKUNG_CODE)
    supervisors_demo.seed(election)
    posts = list(
        Assignment.objects.filter(election=election, role="ptps", status__in=Assignment.ACTIVE).select_related("station", "supervisor").order_by("station_id")
    )
    share = accounts // districts
    step = max(1, len(posts) // share)
    clients = []
    for post in posts[::step][:share]:
        pkd = Agency.objects.get(kind=Agency.Kind.PKD, region_id=post.station.village_id)
        user = ensure_user(
            actor=None, username=f"bench-ptps-{post.station_id}", agency=pkd, role=User.Role.FIELD, full_name="PTPS (bench)", password=uuid.uuid4().hex
        )
        Supervisor.objects.filter(pk=post.supervisor_id).update(user=user)
        clients.append({"token": create_token(actor=None, user=user, name="bench"), "station_id": post.station_id})
    if districts > 1:
        from ingest_districts import add_districts

        clients += add_districts(election, districts - 1, share)
    staff = User.objects.get(username="bawaslu")
    batch_token = create_token(actor=None, user=staff, name="bench")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, client_id uuid NOT NULL UNIQUE, station_id bigint NOT NULL, body jsonb NOT NULL)"
        )
        cursor.execute("VACUUM ANALYZE")
    for client in clients:
        client["batch_token"] = batch_token
    return clients


def _fresh_tokens(server: str) -> list[dict]:
    setup_django(server)
    from django.db import connection

    from sinergi.accounts.models import User
    from sinergi.accounts.services import create_token

    batch_token = create_token(actor=None, user=User.objects.get(username="bawaslu"), name="bench")
    clients = [
        {"token": create_token(actor=None, user=user, name="bench"), "station_id": int(user.username.rsplit("-", 1)[1]), "batch_token": batch_token}
        for user in User.objects.filter(username__startswith="bench-ptps-").order_by("pk")
    ]
    from sinergi.supervisors.sealing import seal_pending

    seal_pending()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE bench_baseline")
        cursor.execute("VACUUM ANALYZE")
    return clients


def cpu_sample(server_pgid: int | None) -> dict[int, tuple[str, float]]:
    """CPU time (user + system) used so far by **this run's own** processes, per pid with its kind:
    gunicorn (the process group of the run's server), postgres (the backends connected to the
    run's database, DB_NAME, whose command line names it) and client (this script and the load
    processes it started). Other sessions' processes on a shared machine are left out. Linux
    (/proc) only; `cpu_between` turns two samples into seconds per kind."""
    tick, me = os.sysconf("SC_CLK_TCK"), os.getpid()
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:  # gone meanwhile
            continue
        name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        parent, group = int(fields[1]), int(fields[2])
        if server_pgid is not None and group == server_pgid:
            kind = "gunicorn"
        elif name.startswith("postgres") and f" {DB_NAME} ".encode() in command:
            kind = "postgres"
        elif me in (int(pid), parent):
            kind = "client"
        else:
            continue
        found[int(pid)] = (kind, (int(fields[11]) + int(fields[12])) / tick)
    return found


def cpu_between(first: dict[int, tuple[str, float]], second: dict[int, tuple[str, float]]) -> dict[str, float]:
    """Seconds of CPU per kind between two samples: per process, so one that exited between them
    adds nothing (its last ticks are lost, an underestimate) instead of subtracting its whole
    life, and one that started adds all it used. Never negative."""
    totals = {"gunicorn": 0.0, "postgres": 0.0, "client": 0.0}
    for pid, (kind, seconds) in second.items():
        totals[kind] += seconds - (first[pid][1] if pid in first else 0.0)
    return totals


@dataclass
class Server:
    """gunicorn serving Sinergi (bench/ingest_settings.py) on 127.0.0.1:`port`."""

    server: str
    port: int
    workers: int
    threads: int
    process: subprocess.Popen | None = None
    log: Path = field(default_factory=lambda: Path(os.environ.get("TMPDIR", "/tmp")) / "sinergi-bench-gunicorn.log")
    env: dict = field(default_factory=dict)  # settings beyond server_env's (bench/ingest_scale.py: AUDIT_SEAL_IN_REQUEST)

    def start(self) -> None:
        command = [
            str(Path(sys.executable).parent / "gunicorn"), "sinergi.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers), "--worker-class", "gthread", "--threads", str(self.threads),
            "--keep-alive", "30", "--backlog", "2048", "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, env=server_env(self.server) | self.env, stdout=self.log.open("a"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/api/v1/openapi.json")
                if conn.getresponse().status in (200, 401):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def kill(self) -> None:
        """kill -9 of the master and every worker: no graceful shutdown, requests in flight die."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


def report(station_id: int, client_id: str | None = None) -> dict:
    stage = random.choice(list(ANSWERS))
    return {
        "client_id": client_id or str(uuid.uuid4()),
        "station_id": station_id,
        "stage": stage,
        "answers": ANSWERS[stage],
        "narrative": "Pengawasan berjalan lancar (bench).",
        "observed_at": datetime.now(UTC).isoformat(),
    }


@dataclass
class Result:
    requests: int = 0
    reports: int = 0
    errors: dict = field(default_factory=dict)
    latencies: list = field(default_factory=list)  # seconds, one per answered request
    acked: list = field(default_factory=list)  # client ids answered 200/201 (fault runs only)
    retries: int = 0
    already: int = 0  # reports answered 200: stored by an earlier attempt whose answer was lost


def _client(port: int, path: str, credentials: dict, batch: int, deadline: float, stop_at_start: float, keep_acked: bool, out: Result) -> None:
    """One client thread: send until `deadline`; a request that fails (refused, reset, timed
    out, 5xx) is sent again, the same body with the same ids, after a growing pause with
    jitter, as the field app does — so a run's acked reports are all that clients believe stored."""
    token = credentials["batch_token" if batch else "token"]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn = None
    pending = None
    while True:
        now = time.monotonic()
        if now >= deadline and pending is None:
            break
        if now >= deadline + 60:  # give up on a retry after a minute past the end
            out.errors["unsent at the end"] = out.errors.get("unsent at the end", 0) + 1
            break
        if pending is None:
            if batch:
                items = [report(credentials["station_id"] + (n % 40)) for n in range(batch)]
                pending = (json.dumps({"reports": items}), [i["client_id"] for i in items])
            else:
                item = report(credentials["station_id"])
                pending = (json.dumps(item), [item["client_id"]])
            attempt = 0
        body, ids = pending
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            started = time.monotonic()
            conn.request("POST", path, body, headers)
            response = conn.getresponse()
            data = response.read()
            elapsed = time.monotonic() - started
        except (OSError, http.client.HTTPException) as error:
            name = type(error).__name__
            out.errors[name] = out.errors.get(name, 0) + 1
            conn = None
            attempt += 1
            out.retries += 1
            time.sleep(min(2.0, 0.05 * 2**attempt) * random.uniform(0.5, 1.5))
            continue
        if response.status >= 500:
            out.errors[f"HTTP {response.status}"] = out.errors.get(f"HTTP {response.status}", 0) + 1
            attempt += 1
            out.retries += 1
            time.sleep(min(2.0, 0.05 * 2**attempt) * random.uniform(0.5, 1.5))
            continue
        if started >= stop_at_start:
            out.requests += 1
            out.latencies.append(elapsed)
        if response.status in (200, 201):
            if batch:
                answered = json.loads(data)
                good = [item["client_id"] for item in answered if item["status"] in (200, 201)]
                out.already += sum(item["status"] == 200 for item in answered)
                if len(good) != len(answered):
                    out.errors["refused items"] = out.errors.get("refused items", 0) + len(answered) - len(good)
            else:
                good = ids
                out.already += response.status == 200
            if started >= stop_at_start:
                out.reports += len(good)
            if keep_acked:
                out.acked.extend(good)
        else:
            out.errors[f"HTTP {response.status}"] = out.errors.get(f"HTTP {response.status}", 0) + 1
        pending = None


def _process(port, path, clients, batch, duration, warmup, keep_acked, queue):
    import threading

    random.seed(os.getpid())
    start = time.monotonic()
    results = [Result() for _ in clients]
    threads = [
        threading.Thread(target=_client, args=(port, path, credentials, batch, start + warmup + duration, start + warmup, keep_acked, result))
        for credentials, result in zip(clients, results, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    merged = Result()
    for result in results:
        merged.requests += result.requests
        merged.reports += result.reports
        merged.retries += result.retries
        merged.already += result.already
        merged.latencies += result.latencies
        merged.acked += result.acked
        for key, count in result.errors.items():
            merged.errors[key] = merged.errors.get(key, 0) + count
    queue.put(merged.__dict__)


def drive(
    *, port: int, path: str, clients: list[dict], processes: int, batch: int = 0, duration: float, warmup: float, keep_acked: bool = False, during=None
) -> Result:
    """Run len(clients) client threads over `processes` processes for warmup + duration seconds;
    counts and latencies cover the last `duration` seconds. `during(elapsed)` is called about
    every 0.1 s in this process (the fault runs kill things from there)."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    shares = [clients[n::processes] for n in range(processes)]
    workers = [context.Process(target=_process, args=(port, path, share, batch, duration, warmup, keep_acked, queue)) for share in shares if share]
    for worker in workers:
        worker.start()
    started = time.monotonic()
    merged, pending = Result(), len(workers)
    while pending:
        if during is not None:
            during(time.monotonic() - started)
        try:
            part = queue.get(timeout=0.1)
        except Exception:  # queue.Empty
            continue
        pending -= 1
        merged.requests += part["requests"]
        merged.reports += part["reports"]
        merged.retries += part["retries"]
        merged.already += part["already"]
        merged.latencies += part["latencies"]
        merged.acked += part["acked"]
        for key, count in part["errors"].items():
            merged.errors[key] = merged.errors.get(key, 0) + count
    for worker in workers:
        worker.join()
    return merged

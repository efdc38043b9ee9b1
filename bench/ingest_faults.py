"""Fault test: report intake while the app server is killed and while PostgreSQL restarts.

Run from the repository root with the project's virtualenv:

    .venv/bin/python bench/ingest_faults.py
    .venv/bin/python bench/ingest_faults.py --server postgres://sinergi@127.0.0.1:5432 \
        --pg-restart "sudo systemctl restart postgresql"      # a cluster of your choosing

By default it restarts only **a PostgreSQL cluster of its own**: it makes one with the machine's
`initdb` in a temporary directory (as the `postgres` user when run as root, since PostgreSQL refuses
to run as root), on a free port, trust authentication on 127.0.0.1 only, and removes it at the end;
the machine's own cluster, and whatever else uses it, is never touched. `--server` (with
`--pg-restart`, the command that restarts that server) runs against another cluster instead.

What it does, on the throwaway database of bench/ingest.py (rebuilt unless --reuse):
1. Four bursts of --duration seconds each, --clients client threads (PTPS tokens) sending as fast
   as the server answers; a client whose request fails — refused connection, reset, timeout,
   5xx — sends the same body again (same report ids) after a pause with jitter, until it gets
   an answer, as the field app does:
   - reports + kill: POST /api/v1/reports; at 1/3 of the burst gunicorn (master and workers)
     gets SIGKILL, and is started again one second later;
   - reports + PostgreSQL restart: the same, but PostgreSQL is restarted (--pg-restart);
   - batch + kill and batch + PostgreSQL restart: the same with POST /api/v1/reports/batch.
2. After each burst, checks in the database:
   - every report a client got 200/201 for is stored, exactly once (ids are unique; no id
     acknowledged twice maps to two rows);
   - no report is stored that no client was told about, beyond requests still unanswered at
     the end (reported, not expected);
   - after `seal_pending`, every stored report has exactly one audit event and the audit chain
     verifies.
Exits non-zero if any check fails. Figures: docs/benchmarks.md.
"""

import argparse
import glob
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import ingest_load as load


class PrivateCluster:
    """A throwaway PostgreSQL cluster for this run: initdb, start, restart (the fault), remove."""

    def __init__(self) -> None:
        versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
        if not versions:
            sys.exit("no PostgreSQL server binaries under /usr/lib/postgresql: install postgresql, or pass --server and --pg-restart")
        self.bin = versions[-1]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.dir = tempfile.mkdtemp(prefix="sinergi-faults-pg-")
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self.server = f"postgres://sinergi@127.0.0.1:{self.port}"

    def _pg_ctl(self, *args: str) -> list[str]:
        return [*self.as_postgres, f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-w", *args]

    def start(self) -> None:
        subprocess.run([*self.as_postgres, f"{self.bin}/initdb", "-D", f"{self.dir}/data", "-U", "sinergi", "--auth=trust", "-E", "UTF8"], check=True, stdout=subprocess.DEVNULL)
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c max_connections=200"
        subprocess.run(self._pg_ctl("-o", options, "-l", f"{self.dir}/log", "start"), check=True, stdout=subprocess.DEVNULL)
        print(f"private PostgreSQL cluster ({self.bin.split('/')[-2]}) on port {self.port} in {self.dir}", flush=True)

    def restart_command(self) -> str:
        return shlex.join(self._pg_ctl("-s", "-l", f"{self.dir}/log", "-m", "fast", "restart"))

    def remove(self) -> None:
        subprocess.run(self._pg_ctl("-m", "immediate", "stop"), check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", help="PostgreSQL server URL, no database, of a cluster to use instead of a private one (needs --pg-restart)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--accounts", type=int, default=32)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--duration", type=float, default=15, help="seconds per burst (default %(default)s)")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--pg-restart", help="with --server: the command that restarts that server")
    parser.add_argument("--reuse", action="store_true", help="with --server: keep the database of an earlier run")
    return parser.parse_args()


def check(acked: set[str], sent_before: int) -> dict:
    """What the database holds against what the clients were told."""
    from django.db import connection
    from django.db.models import Count

    from sinergi.audit.models import AuditEvent
    from sinergi.audit.queries import verify_chain
    from sinergi.supervisors.models import Report
    from sinergi.supervisors.sealing import seal_pending

    connection.close()  # the server may have restarted under this process's connection
    new = Report.objects.filter(pk__gt=sent_before)
    stored_ids = {str(c) for c in new.values_list("client_id", flat=True)}
    missing = acked - stored_ids
    unacknowledged = stored_ids - acked
    duplicates = new.values("client_id").annotate(n=Count("id")).filter(n__gt=1).count()
    sealed = seal_pending()
    pks = [str(pk) for pk in new.values_list("pk", flat=True)]
    events = AuditEvent.objects.filter(action="report.file", object_type="supervisors.report", object_id__in=pks)
    per_report = events.values("object_id").annotate(n=Count("id"))
    audit_once = events.count() == len(pks) and not per_report.filter(n__gt=1).exists()
    chain_break = verify_chain()
    return {
        "acknowledged": len(acked),
        "stored": len(stored_ids),
        "acknowledged_missing": len(missing),
        "duplicates": duplicates,
        "stored_unacknowledged": len(unacknowledged),
        "sealed_after": sealed,
        "audit_event_once_each": audit_once,
        "chain_intact": chain_break is None,
    }


def main() -> None:
    args = parse_args()
    if bool(args.server) != bool(args.pg_restart):
        sys.exit("--server and --pg-restart go together (another cluster and how to restart it); without both, a private cluster is used")
    cluster = None
    if not args.server:
        cluster = PrivateCluster()
        cluster.start()
        args.server, args.pg_restart, args.reuse = cluster.server, cluster.restart_command(), False
    try:
        run(args)
    finally:
        if cluster is not None:
            cluster.remove()


def run(args: argparse.Namespace) -> None:
    clients = load.prepare(args.server, args.accounts, args.reuse)[: args.clients]
    from sinergi.supervisors.models import Report

    server = load.Server(args.server, args.port, args.workers, args.threads)
    server.start()
    failures = []
    try:
        for endpoint, path, batch in (("reports", "/api/v1/reports", 0), ("batch", "/api/v1/reports/batch", args.batch_size)):
            for fault in ("kill -9 gunicorn", "restart PostgreSQL"):
                from django.db import connection

                connection.close()
                before = Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                done = {"fault": False}
                at = args.duration / 3

                def during(elapsed: float, fault=fault, done=done, at=at) -> None:
                    if done["fault"] or elapsed < at:
                        return
                    done["fault"] = True
                    started = time.monotonic()
                    if fault.startswith("kill"):
                        server.kill()
                        time.sleep(1)
                        server.start()
                    else:
                        subprocess.run(shlex.split(args.pg_restart), check=True)
                    print(f"  {fault} at {elapsed:.1f} s; serving again after {time.monotonic() - started:.1f} s", flush=True)

                result = load.drive(port=args.port, path=path, clients=clients, processes=args.processes, batch=batch, duration=args.duration, warmup=0, keep_acked=True, during=during)
                figures = check(set(result.acked), before)
                ok = figures["acknowledged_missing"] == 0 and figures["duplicates"] == 0 and figures["audit_event_once_each"] and figures["chain_intact"]
                print(
                    f"{endpoint:<8} {fault:<18} acked {figures['acknowledged']:>6}  stored {figures['stored']:>6}  missing {figures['acknowledged_missing']}  "
                    f"duplicates {figures['duplicates']}  stored-unacked {figures['stored_unacknowledged']}  retries {result.retries}  answered-as-repeat {result.already}  "
                    f"errors {result.errors}  audit once each {figures['audit_event_once_each']}  chain {'intact' if figures['chain_intact'] else 'BROKEN'}  "
                    f"{'OK' if ok else 'FAILED'}",
                    flush=True,
                )
                if not ok:
                    failures.append(f"{endpoint} / {fault}")
    finally:
        server.stop()
    if failures:
        sys.exit(f"failed: {', '.join(failures)}")


if __name__ == "__main__":
    main()

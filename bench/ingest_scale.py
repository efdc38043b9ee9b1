"""Benchmark: voting-day report intake scaled out — 1, 2 and 4 gunicorn worker processes on one
PostgreSQL, with the audit chaining in sealer processes of their own (AUDIT_SEAL_IN_REQUEST=0,
`sinergi seal-intake --follow`), against today's one process that seals inside its requests.

Run from the repository root with the project's virtualenv:

    .venv/bin/python bench/ingest_scale.py                              # the figures in docs/benchmarks.md
    .venv/bin/python bench/ingest_scale.py --configs 1r,2 --duration 5  # quick run

Each configuration is `<workers>` (sealing off the request path, --sealers processes of
`seal-intake --follow`) or `<workers>r` (sealing inside the requests, no sealer process: today's
default). For each, in turn, on the database of bench/ingest.py (rebuilt unless --reuse; with
--districts > 1 the PTPS accounts are shared among Klungkung and fictitious districts,
bench/ingest_districts.py, so that the audit trail has that many district partitions to seal in
parallel): start the sealers and gunicorn, drive the single-report phase of bench/ingest.py
(POST /api/v1/reports, --clients threads over --processes processes, --warmup s unmeasured then
--duration s measured), then wait until nothing waits to be chained. Printed per configuration:
reports/s, p50/p99 of a request, the largest backlog seen during the burst (sampled each second),
the backlog at its end and the seconds until it was 0; and that the database holds exactly the
acknowledged reports, each chained once, with an intact audit chain. With --drain N, then N
reports are stored at once over the clients' TPS (every district) and chained by 1, 2 and 4 sealer
processes in turn: the sealing rate, which partitions let grow with the sealers. For `<workers>r` nothing seals once requests stop:
what is left is chained at once by this script, as the `seal-intake` timer would within a minute.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import ingest_load as load
from ingest import quantile


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default=load.SERVER, help="PostgreSQL server URL, no database (default %(default)s)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--configs", default="1r,1,2,4", help="gunicorn workers per run; suffix r: sealing in requests (default %(default)s)")
    parser.add_argument("--sealers", type=int, default=2, help="sealer processes beside gunicorn (default %(default)s)")
    parser.add_argument("--districts", type=int, default=4, help="districts the PTPS accounts are spread over (default %(default)s)")
    parser.add_argument("--accounts", type=int, default=64, help="PTPS accounts (default %(default)s)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent client threads (default %(default)s)")
    parser.add_argument("--processes", type=int, default=2, help="client processes (default %(default)s)")
    parser.add_argument("--threads", type=int, default=6, help="threads per gunicorn worker (default %(default)s)")
    parser.add_argument("--duration", type=float, default=15, help="measured seconds per configuration (default %(default)s)")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds before measuring (default %(default)s)")
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run (no rebuild)")
    parser.add_argument("--drain", type=int, default=0, help="then also: store this many reports at once (spread over the districts) and time 1, 2 and 4 sealer processes chaining them")
    parser.add_argument("--json", help="also write the figures to this file")
    return parser.parse_args()


def start_sealers(server: str, count: int) -> list[subprocess.Popen]:
    log = Path(os.environ.get("TMPDIR", "/tmp")) / "sinergi-bench-sealers.log"
    command = [sys.executable, "-m", "sinergi", "seal-intake", "--follow", "--interval", "0.5", "--every", "5"]
    return [subprocess.Popen(command, env=load.server_env(server), stdout=log.open("a"), stderr=subprocess.STDOUT) for _ in range(count)]


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=120)


def run(args, clients: list[dict], config: str) -> dict:
    from sinergi.supervisors.sealing import seal_pending, waiting

    in_request = config.endswith("r")
    workers = int(config.rstrip("r"))
    seal_pending()  # nothing left over from an earlier configuration
    sealers = [] if in_request else start_sealers(args.server, args.sealers)
    server = load.Server(args.server, args.port, workers, args.threads, env={"AUDIT_SEAL_IN_REQUEST": "1" if in_request else "0"})
    server.start()
    peak, sampled = [0], [0.0]

    def during(elapsed):
        if elapsed - sampled[0] >= 1.0:
            sampled[0] = elapsed
            peak[0] = max(peak[0], waiting()[0])

    try:
        result = load.drive(
            port=args.port, path="/api/v1/reports", clients=clients, processes=args.processes, duration=args.duration, warmup=args.warmup, keep_acked=True, during=during
        )
        ended = time.monotonic()
        left = waiting()[0]
        if in_request:
            # No request follows the burst: what is left waits for the `seal-intake` timer, run here at once.
            seal_pending()
        while waiting()[0] and time.monotonic() - ended < 600:
            time.sleep(0.2)
        drained = time.monotonic() - ended
        remaining = waiting()[0]
    finally:
        server.stop()
        stop(sealers)
    row = {
        "config": config,
        "workers": workers,
        "sealing": "in requests" if in_request else f"{args.sealers} sealer processes",
        "reports_per_s": result.reports / args.duration,
        "p50_ms": quantile(result.latencies, 0.50) * 1000,
        "p99_ms": quantile(result.latencies, 0.99) * 1000,
        "errors": result.errors,
        "backlog_peak": max(peak[0], left),
        "backlog_at_end": left,
        "seconds_to_zero": round(drained, 1) if not remaining else None,
        "acked": result.acked,
    }
    print(
        f"{config:>3}  {row['sealing']:<20} {row['reports_per_s']:>7.0f} reports/s  p50 {row['p50_ms']:6.1f} ms  p99 {row['p99_ms']:6.1f} ms  "
        f"backlog peak {row['backlog_peak']:>6}, at end {left:>6}, zero after {row['seconds_to_zero']} s  errors {result.errors or 0}",
        flush=True,
    )
    return row


def drain(args, clients: list[dict], sealers: int) -> dict:
    """A backlog of --drain reports, stored at once over the clients' TPS (every district) while
    `sealers` sealer processes idle, then chained by them: seconds from the commit until nothing
    waits, reports chained per second."""
    import uuid
    from datetime import UTC, datetime

    from django.db import transaction

    from sinergi.elections.models import Election
    from sinergi.supervisors.inserts import insert_many
    from sinergi.supervisors.models import Report
    from sinergi.supervisors.sealing import seal_pending, waiting

    seal_pending()
    election = Election.objects.get(slug=load.ELECTION)
    stations = [client["station_id"] for client in clients]
    processes = start_sealers(args.server, sealers)
    time.sleep(8)  # the sealers started (Django imported) and idle: their start is not timed
    with transaction.atomic():
        insert_many([
            Report(election=election, station_id=stations[n % len(stations)], stage="persiapan", client_id=uuid.uuid4(), answers={}, observed_at=datetime.now(UTC), via="api")
            for n in range(args.drain)
        ])  # fmt: skip
    started = time.monotonic()
    try:
        while waiting()[0] and time.monotonic() - started < 900:
            time.sleep(0.2)
        seconds = time.monotonic() - started
    finally:
        stop(processes)
    row = {"sealers": sealers, "reports": args.drain, "seconds": round(seconds, 1), "reports_per_s": args.drain / seconds}
    print(f"drain  {sealers} sealer process(es): {args.drain} reports over {len({s for s in stations})} TPS chained in {seconds:.1f} s = {row['reports_per_s']:.0f} reports/s", flush=True)
    return row


def main() -> None:
    args = parse_args()
    clients = load.prepare(args.server, args.accounts, args.reuse, districts=args.districts)
    if args.clients > len(clients):
        sys.exit(f"--clients {args.clients} needs as many PTPS accounts; there are {len(clients)}")
    # Every district gets its share of the client threads.
    clients = [clients[n] for n in range(0, len(clients), max(1, len(clients) // args.clients))][: args.clients]
    from sinergi.audit.models import AuditEvent
    from sinergi.audit.queries import verify_chain
    from sinergi.supervisors.models import Report

    before, events_before = Report.objects.count(), AuditEvent.objects.filter(action="report.file").count()
    rows = [run(args, clients, config) for config in args.configs.split(",") if config]
    acked = {client_id for row in rows for client_id in row.pop("acked")}
    stored = Report.objects.count() - before
    drains = [drain(args, clients, sealers) for sealers in (1, 2, 4)] if args.drain else []
    before_drain_events = len(drains) * args.drain  # the drains' reports are not acknowledged ones
    chained = AuditEvent.objects.filter(action="report.file").count() - events_before - before_drain_events
    broken = verify_chain()
    print(f"stored: {stored} reports for {len(acked)} acknowledged; {chained} chained (report.file events); chain {'intact' if broken is None else broken}")
    ok = stored == len(acked) == chained and not Report.objects.filter(audited=False).exists() and broken is None
    if args.json:
        figures = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "arguments": vars(args), "runs": rows, "drains": drains, "ok": ok}
        Path(args.json).write_text(json.dumps(figures, indent=2))
    if not ok:
        sys.exit("the database does not hold exactly the acknowledged reports, each chained once, in an intact chain")


if __name__ == "__main__":
    main()

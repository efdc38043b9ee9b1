"""Benchmark: voting-day report intake over HTTP (gunicorn, PostgreSQL), against a baseline.

Run from the repository root with the project's virtualenv:

    .venv/bin/python bench/ingest.py                 # the figures in docs/benchmarks.md
    .venv/bin/python bench/ingest.py --duration 5    # quick run

What it does:
1. Rebuilds the throwaway database `sinergi_bench_ingest` on --server (DATABASE_URL is ignored):
   migrations, Klungkung, the `pemilu-2024` TPS and its 649 demo PTPS; --accounts of them get a
   login and an API token (PTPS of TPS spread over the district), the Bawaslu demo user one more.
2. Starts gunicorn (gthread workers, DEBUG off) with bench/ingest_settings.py: Sinergi as shipped,
   plus the baseline POST /bench/baseline (bench/ingest_urls.py), which takes the same JSON and
   token as a report and stores it with one INSERT.
3. Drives, in turn, with the same --clients concurrent client threads (keep-alive connections,
   over --processes processes, on this machine):
   - baseline:  POST /bench/baseline, one report per request;
   - reports:   POST /api/v1/reports, one report per request, each PTPS for its own TPS: the
                real path (token, permission, checklist validation, insert, audit event, commit);
   - batch:     POST /api/v1/reports/batch, --batch-size reports a request (Bawaslu's token,
                40 TPS), each report validated, stored and audited.
   Each phase runs --warmup seconds unmeasured, then --duration seconds measured: requests and
   reports per second, p50 and p99 latency of a request. Every answer is checked: an error counts.
4. Checks that the database holds exactly the reports that were acknowledged.

With --cpu, each phase also prints the CPU time a request cost, by process kind (gunicorn,
postgres, the load generator), read from /proc as measuring starts and ends: only this run's own
processes (its gunicorn's process group, the postgres backends of its database, this script and its
load processes), so another session's work on a shared machine does not count.

Writes nothing to the repository. Figures for this machine: docs/benchmarks.md.
"""

import argparse
import json
import os
import platform
import statistics
import sys
from datetime import UTC, datetime

import ingest_load as load


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default=load.SERVER, help="PostgreSQL server URL, no database (default %(default)s)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--accounts", type=int, default=64, help="PTPS accounts, one per client thread (default %(default)s)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent client threads (default %(default)s)")
    parser.add_argument("--processes", type=int, default=2, help="client processes (default %(default)s)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default %(default)s)")
    parser.add_argument("--threads", type=int, default=6, help="threads per gunicorn worker (default %(default)s)")
    parser.add_argument("--duration", type=float, default=20, help="measured seconds per phase (default %(default)s)")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds before each phase (default %(default)s)")
    parser.add_argument("--batch-size", type=int, default=200, help="reports per batch request (default %(default)s)")
    parser.add_argument("--phases", default="baseline,reports,batch", help="which phases to run, comma-separated (default %(default)s)")
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run (no rebuild)")
    parser.add_argument("--cpu", action="store_true", help="also print the CPU a request costs, by process kind (Linux /proc)")
    parser.add_argument("--json", help="also write the figures to this file")
    return parser.parse_args()


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def summarise(name: str, result: load.Result, duration: float, cpu: dict | None = None) -> dict:
    row = {
        "phase": name,
        "requests_per_s": result.requests / duration,
        "reports_per_s": result.reports / duration,
        "p50_ms": quantile(result.latencies, 0.50) * 1000,
        "p99_ms": quantile(result.latencies, 0.99) * 1000,
        "mean_ms": statistics.fmean(result.latencies) * 1000 if result.latencies else float("nan"),
        "errors": result.errors,
    }
    if cpu is not None and result.requests:
        row["cpu_us_per_request"] = {kind: round(seconds / result.requests * 1e6) for kind, seconds in cpu.items()}
    print(
        f"{name:<9} {row['reports_per_s']:>9.0f} reports/s {row['requests_per_s']:>8.0f} req/s  p50 {row['p50_ms']:6.1f} ms  p99 {row['p99_ms']:6.1f} ms  errors {result.errors or 0}",
        flush=True,
    )
    if "cpu_us_per_request" in row:
        print(f"{'':9} CPU µs a request: {row['cpu_us_per_request']}", flush=True)
    return row


def main() -> None:
    args = parse_args()
    clients = load.prepare(args.server, args.accounts, args.reuse)
    if args.clients > len(clients):
        sys.exit(f"--clients {args.clients} needs as many PTPS accounts; there are {len(clients)}")
    clients = clients[: args.clients]
    from django.db import connection

    from sinergi.supervisors.models import Report

    before = Report.objects.count()
    server = load.Server(args.server, args.port, args.workers, args.threads)
    server.start()
    paths = {"baseline": ("/bench/baseline", 0), "reports": ("/api/v1/reports", 0), "batch": ("/api/v1/reports/batch", args.batch_size)}
    rows, acked = {}, {}
    try:
        for name in args.phases.split(","):
            path, batch = paths[name]
            readings = []

            def during(elapsed, readings=readings):
                # CPU read as measuring starts and just before it ends (the load processes exit after).
                if len(readings) == 0 and elapsed >= args.warmup or len(readings) == 1 and elapsed >= args.warmup + args.duration - 0.2:
                    readings.append(load.cpu_sample(server.process.pid if server.process else None))

            result = load.drive(
                port=args.port, path=path, clients=clients, processes=args.processes, batch=batch, duration=args.duration, warmup=args.warmup, keep_acked=True,
                during=during if args.cpu else None,
            )  # fmt: skip
            cpu = load.cpu_between(*readings) if len(readings) == 2 else None
            rows[name] = summarise(name, result, args.duration, cpu)
            acked[name] = set(result.acked)
    finally:
        server.stop()

    stored_reports = Report.objects.count() - before
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_baseline")
        stored_baseline = cursor.fetchone()[0]
    expected_reports = len(acked.get("reports", set()) | acked.get("batch", set()))
    expected_baseline = len(acked.get("baseline", set()))
    print(f"stored: {stored_reports} reports for {expected_reports} acknowledged, {stored_baseline} baseline rows for {expected_baseline}")
    ok = stored_reports == expected_reports and stored_baseline == expected_baseline
    ratio = rows["reports"]["reports_per_s"] / rows["baseline"]["reports_per_s"] if {"reports", "baseline"} <= set(rows) else None
    if ratio is not None:
        print(f"ratio reports/baseline: {ratio:.2f}")
    figures = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "arguments": vars(args),
        "phases": rows,
        "ratio": ratio,
        "stored_as_acknowledged": ok,
    }
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)
    if not ok:
        sys.exit("the database does not hold exactly the acknowledged reports")


if __name__ == "__main__":
    main()

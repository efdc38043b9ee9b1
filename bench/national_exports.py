"""Benchmark: national exports, every district's requirements and guard plan, and the national
overview and a province's first list page, on a synthetic nation (PostgreSQL).

Run from the repository root with the project's virtualenv:

    .venv/bin/python bench/national_exports.py                     # full size, 820,161 TPS
    .venv/bin/python bench/national_exports.py --stations 50000    # quick run
    .venv/bin/python bench/national_exports.py --reuse             # keep the loaded data, time again
    .venv/bin/python bench/national_exports.py --reuse --only c    # one part: a, b or c

What it does:
1. The nation of bench/national_registry.py and the risk and guard fixture of bench/risk_queries.py
   (the `pemilu-2024` preset; 38 provinces, 514 kabupaten, 7,277 kecamatan, 83,731 villages, N TPS
   evenly over the villages; 406,768 checklist answers at the national rates, 30% police
   classes, a Polres per kabupaten with the formation `polda-bali-pilkada-2024`), plus a Polsek per
   kecamatan (bulk_create: a fixture, so that no kecamatan is a gap of the plan), in its own
   database --database (default `sinergi_nation`; dropped and rebuilt unless --reuse; the URL is
   built here, DATABASE_URL is ignored, DEBUG off).
2. (a) Every district, one after another, in one fresh process: its guard plan (planned one
   district at a time from plain rows with the formations, personnel and Polsek read once:
   `guard.plan_rows.StreamedPlan`, as the national export plans) and its logistics requirements
   (`requirement_totals`), as the deployment's command line sees them. Wall time, the CPU time
   of the process and of its PostgreSQL backend (on a shared machine, what the work costs: their
   sum is about the wall time on a quiet one) and the process's peak RSS (VmHWM).
3. (b) Each national export in a fresh process, as the command line runs it
   (`logistics-requirements`, `risk-release`, `guard-plan`, `--format csv|xlsx --output FILE`):
   wall time, CPU times, peak RSS, file size.
4. (c) The national overview (`counts_for` + `counts_by_kecamatan`, a superuser) and the first
   list page (`filtered_stations(...)[:50]`) of a province in the middle of the code order and of
   the last province: median and p95 over --repeat runs after --warmup runs.

Writes nothing to the repository (the exports go to a temporary directory). Figures for this
machine: docs/benchmarks.md, "National size: exports, districts, overview".
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import national_registry as registry
import risk_queries

EXPORTS = [
    ("logistics-requirements", "csv"), ("logistics-requirements", "xlsx"),
    ("risk-release", "csv"), ("risk-release", "xlsx"),
    ("guard-plan", "csv"), ("guard-plan", "xlsx"),
]  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stations", type=int, default=registry.NATIONAL_STATIONS, help="TPS to load (default %(default)s)")
    parser.add_argument("--database", default="sinergi_nation", help="the benchmark's own database, dropped and rebuilt (default %(default)s)")
    parser.add_argument("--server", default="postgres://sinergi@127.0.0.1:5432", help="PostgreSQL server URL, no database")
    parser.add_argument("--reuse", action="store_true", help="keep the database as it is: no drop, no load")
    parser.add_argument("--only", choices=["a", "b", "c"], action="append", help="run only these parts (repeatable)")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of (c) (default %(default)s)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs before them (default %(default)s)")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: one measurement in a fresh process
    return parser.parse_args()


def setup_django(server: str, name: str) -> None:
    registry.setup_django(server, name)


def load_polseks() -> int:
    """A Polsek per kecamatan (fixture, bulk_create: ensure_agency would audit 7,277 agencies)."""
    from sinergi.accounts.models import Agency
    from sinergi.regions.models import Region

    kecamatan = Region.objects.filter(level=3).order_by("code").values_list("code", "name")
    rows = [Agency(slug=f"bench-polsek-{code.replace('.', '-')}", kind=Agency.Kind.POLSEK, name=f"Polsek {name}", region_id=code) for code, name in kecamatan]
    Agency.objects.bulk_create(rows, batch_size=registry.BATCH, ignore_conflicts=True)
    return len(rows)


def memory_mib() -> dict[str, float]:
    with open("/proc/self/status", encoding="ascii") as status:
        fields = dict(line.split(":", 1) for line in status)
    return {key: int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM")}


def backend_cpu_s() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine: its
    /proc/PID/stat; parallel workers of a query not counted); None when it cannot be read."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def run_child(args: argparse.Namespace, what: str) -> dict:
    command = [sys.executable, __file__, "--reuse", "--server", args.server, "--database", args.database, "--child", what]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(what: str) -> None:
    """One measurement in this fresh process; prints a JSON line."""
    from django.core.management import call_command

    from sinergi.elections.commands import DEPLOYMENT
    from sinergi.elections.models import Election
    from sinergi.guard.plan_rows import StreamedPlan
    from sinergi.logistics.requirement_queries import requirement_totals

    election = Election.objects.get(slug="pemilu-2024")
    before = memory_mib()
    db_before = backend_cpu_s()
    start, cpu = time.perf_counter(), time.process_time()
    result: dict = {}
    if what == "districts":
        # Every district's plan, planned one district at a time with the inputs read once
        # (guard.plan_rows.StreamedPlan, as the national export does), and its requirements.
        streamed = StreamedPlan(DEPLOYMENT, election)
        assert not streamed.gaps, streamed.gaps[:3]
        districts = stations = posts = 0
        for district in streamed.districts():
            totals = requirement_totals(DEPLOYMENT, election, district.area)
            assert sum(t.stations for t in district.plan.kecamatans) == totals.total.stations == len(district.stations)
            districts, stations, posts = districts + 1, stations + totals.total.stations, posts + len(district.plan.posts)
        result = {"districts": districts, "stations": stations, "posts": posts}
    else:
        command, fmt = what.split(":")
        with tempfile.TemporaryDirectory() as directory:
            output = Path(directory) / f"export.{fmt}"
            call_command(command.replace("-", "_"), "--election", election.slug, "--format", fmt, "--output", str(output), stderr=open(os.devnull, "w"))
            result = {"bytes": output.stat().st_size}
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    # CPU of this process and of its database backend: on a shared machine, what the work costs
    # (their sum is about the wall time on a quiet one), whatever the wait for a core.
    db_after = backend_cpu_s() if db_before is not None else None
    db_cpu = round(db_after - db_before, 2) if db_after is not None else None
    memory = {"rss_before_mib": before["VmRSS"], "rss_peak_mib": memory_mib()["VmHWM"]}
    print(json.dumps({**result, "seconds": seconds, "cpu_s": round(cpu, 2), "db_backend_cpu_s": db_cpu, **memory}))


def measure(fn, repeat: int, warmup: int) -> tuple[float, float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]


def part_c(args: argparse.Namespace) -> None:
    from sinergi.elections.models import Election
    from sinergi.stations.queries import counts_by_kecamatan, counts_for, filtered_stations

    election = Election.objects.get(slug="pemilu-2024")
    areas = registry.scopes()
    users = {scope: user for scope, (user, _) in registry.make_users(areas).items()}
    national = users["national"]

    def overview():
        counts_for(national, election)
        assert len(counts_by_kecamatan(national, election)) == 7_277

    def first_page(scope):
        def run():
            rows = list(filtered_stations(users[scope], election)[:50])
            assert len(rows) == 50 and all(r.village_id.startswith(areas[scope] + ".") for r in rows)

        return run

    print("\n(c) median / p95 ms:")
    for name, fn in [("national overview (counts_for + counts_by_kecamatan)", overview), ("province: first list page", first_page("province")),
                     ("last province: first list page", first_page("province-last"))]:  # fmt: skip
        median, p95 = measure(fn, args.repeat, args.warmup)
        print(f"| {name} | {median:,.1f} / {p95:,.1f} |", flush=True)


def build_nation(args: argparse.Namespace):
    """Migrate the benchmark's database and, unless --reuse, load the nation (regions and TPS), then
    the risk and guard fixture and a Polsek per kecamatan if they are not there yet; the election."""
    from django.core.management import call_command

    from sinergi.elections.models import Election
    from sinergi.risk.models import ChecklistAnswer

    call_command("migrate", verbosity=0)
    if not args.reuse:
        t = registry.load(args.stations)
        print(f"fixture: regions {t['regions']:.1f} s; {args.stations:,} TPS {t['stations']:.1f} s", flush=True)
    election = Election.objects.get(slug="pemilu-2024")
    if not ChecklistAnswer.objects.filter(indicator__election=election).exists():
        t = risk_queries.load_risk_fixture(election)
        print(f"risk fixture: {t['answers_n']:,} answers, {t['classes_n']:,} classes, Polres and formations {t['formations']:.1f} s", flush=True)
        print(f"Polsek: {load_polseks():,}", flush=True)
    return election


def main() -> None:
    args = parse_args()
    wall = time.perf_counter()
    if args.child:
        setup_django(args.server, args.database)
        child(args.child)
        return
    if not args.reuse:
        registry.recreate_database(args.server, args.database)
    setup_django(args.server, args.database)
    build_nation(args)
    parts = args.only or ["a", "b", "c"]
    if "a" in parts:
        print("\n(a) every district's requirements and guard plan, one process:", run_child(args, "districts"), flush=True)
    if "b" in parts:
        print("\n(b) national exports, each in a fresh process:")
        for command, fmt in EXPORTS:
            print(f"| {command} --format {fmt} | {run_child(args, f'{command}:{fmt}')} |", flush=True)
    if "c" in parts:
        part_c(args)
    print(f"\nwall time: {time.perf_counter() - wall:.0f} s")


if __name__ == "__main__":
    main()

"""Benchmark: the province and national roll-up pages at national size (PostgreSQL, issue 16).

Run from the repository root with the project's virtualenv:

    .venv/bin/python bench/national_rollup.py                     # full size, 820,161 TPS
    .venv/bin/python bench/national_rollup.py --stations 50000    # quick run
    .venv/bin/python bench/national_rollup.py --reuse             # keep the loaded data, time again
    .venv/bin/python bench/national_rollup.py --reuse --only rawan --only situasi   # some pages

What it does:
1. The nation of bench/national_exports.py (bench/national_registry.py + the risk and guard
   fixture of bench/risk_queries.py, a Polres per kabupaten, a Polsek per kecamatan) in **its own
   database** --database (default `sinergi_rollup`; only names starting with `sinergi_rollup` are
   accepted; dropped and rebuilt unless --reuse; the URL is built here, DATABASE_URL is ignored,
   DEBUG off).
2. A voting day at national size (fixture, bulk_create in batches, deterministic, seed 20240214),
   as of 14.00 WITA on 14 February 2024 (Form A "pemungutan" due since 13.30):
   - Form A "persiapan" for 85% of TPS (06.30-07.25) and "pemungutan" for 65% (11.00-13.20);
   - incidents at 0.5% of TPS (08.00-13.30), 10% high, 30% medium severity;
   - two cases per kabupaten (status "diterima", received 1-6 days before: their deadline to be
     registered runs, some overdue, some due within a day), in a village of the kabupaten;
   - guard posts fixed for every fourth kabupaten (three TPS of a kecamatan a post, two police and
     two Linmas), with the personnel of their Polsek (5-40 each);
   - an outbound consignment for every TPS of three kabupaten in five (70% delivered, 20%
     dispatched, 10% planned), and an unresolved discrepancy at 0.5% of the delivered ones.
   No stored distribution plan: none of the pages timed reads one.
3. Times each roll-up page with Django's test Client in this process (URL, middleware, view,
   queries, template; no network), as a national user and as a user of a province in the middle
   of the code order and of the last province: the situation room (`situasi/`, its live fragment
   `situasi/terkini/` and its roll-up card `situasi/rekap/`, Bawaslu RI / Bawaslu Provinsi), the
   vulnerability release (`rawan/`, Bawaslu), the police classes (`rawan/kelas/`, Polri / Polda),
   the guard plan (`pengamanan/`, the per-district section of a wide viewer, Polri / Polda), the
   logistics requirements per district (`logistik/`, KPU RI / KPU Provinsi) and the logistics
   status board (`logistik/status/`, KPU). Median and p95 (nearest rank) over --repeat runs after
   --warmup; a page whose first run takes more than --slow seconds is run once only. Queries per
   request (one request counted), response size, and the process's RSS and peak (VmHWM) after
   each page. A statement longer than --timeout is cancelled and the page reported as stopped.

Writes nothing to the repository. Figures for this machine: docs/benchmarks.md, "National size:
roll-up pages (issue 16)".
"""

import argparse
import math
import random
import statistics
import sys
import time
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

import national_exports  # noqa: E402  (bench/ is on the path above)
import national_registry as registry  # noqa: E402

SEED = 20240214
WITA = ZoneInfo("Asia/Makassar")
AS_OF = "2024-02-14T14:00"
BATCH = registry.BATCH
PREPARATION_SHARE, VOTING_SHARE, INCIDENT_SHARE = 0.85, 0.65, 0.005
CASES_PER_DISTRICT = 2
POSTS_EVERY, STATIONS_PER_POST = 4, 3  # every 4th kabupaten has its posts fixed
CONSIGNMENT_DISTRICTS = 0.6
DISCREPANCY_SHARE = 0.005


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stations", type=int, default=registry.NATIONAL_STATIONS, help="TPS to load (default %(default)s)")
    parser.add_argument("--database", default="sinergi_rollup", help="the benchmark's own database (default %(default)s)")
    parser.add_argument("--server", default="postgres://sinergi@127.0.0.1:5432", help="PostgreSQL server URL, no database")
    parser.add_argument("--reuse", action="store_true", help="keep the database as it is: no drop, no load")
    parser.add_argument("--only", action="append", help="time only the pages whose URL contains this (repeatable)")
    parser.add_argument("--scope", action="append", choices=["national", "province", "province-last"], help="time only these viewers (repeatable)")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per page (default %(default)s)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs before them (default %(default)s)")
    parser.add_argument("--slow", type=float, default=15.0, help="a page whose first run takes longer (s) is run once (default %(default)s)")
    parser.add_argument("--timeout", type=float, default=300.0, help="statement timeout (s) while timing: a page stuck longer is reported as stopped (default %(default)s)")
    args = parser.parse_args()
    if not args.database.startswith("sinergi_rollup"):
        parser.error("--database must start with sinergi_rollup (this script drops it)")
    return args


def local(hour: int, minute: int, day_offset: int = 0) -> datetime:
    return datetime(2024, 2, 14, hour, minute, tzinfo=WITA) + timedelta(days=day_offset)


def between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + timedelta(seconds=rng.randrange(int((end - start).total_seconds())))


def batched(model, rows, batch: int = BATCH) -> int:
    n, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == batch:
            model.objects.bulk_create(chunk)
            n, chunk = n + len(chunk), []
    model.objects.bulk_create(chunk)
    return n + len(chunk)


def load_voting_day(election) -> dict:
    """Step 2 of the docstring (fixture, not a measurement)."""
    from django.db import connection, transaction

    from sinergi.accounts.models import Agency
    from sinergi.cases.models import Case
    from sinergi.guard.models import GuardPost, PolsekPersonnel
    from sinergi.logistics.models import Consignment, Discrepancy, Handover
    from sinergi.regions.models import Region
    from sinergi.stations.models import Station
    from sinergi.supervisors.models import Incident, Question, Report

    rng = random.Random(SEED)
    figures: dict = {}
    stations = list(Station.objects.filter(election=election).order_by("village_id", "number").values_list("id", "village_id"))
    start = time.perf_counter()
    with transaction.atomic():

        def reports():
            for sid, _village in stations:
                if rng.random() < PREPARATION_SHARE:
                    yield Report(election=election, station_id=sid, stage=Question.Stage.PREPARATION, client_id=uuid.UUID(int=rng.getrandbits(128)),
                                 observed_at=between(rng, local(6, 30), local(7, 25)), audited=True)  # fmt: skip
                if rng.random() < VOTING_SHARE:
                    yield Report(election=election, station_id=sid, stage=Question.Stage.VOTING, client_id=uuid.UUID(int=rng.getrandbits(128)),
                                 observed_at=between(rng, local(11, 0), local(13, 20)), audited=True)  # fmt: skip

        figures["reports"] = batched(Report, reports())
        severities = [Incident.Severity.HIGH] * 1 + [Incident.Severity.MEDIUM] * 3 + [Incident.Severity.LOW] * 6
        categories = list(Incident.Category.values)
        incidents = (
            Incident(election=election, station_id=sid, client_id=uuid.UUID(int=rng.getrandbits(128)), category=rng.choice(categories),
                     severity=rng.choice(severities), occurred_at=between(rng, local(8, 0), local(13, 30)), description="Kejadian (bench)", audited=True)
            for sid, _village in stations if rng.random() < INCIDENT_SHARE
        )  # fmt: skip
        figures["incidents"] = batched(Incident, incidents)
    figures["reports_s"] = time.perf_counter() - start

    start = time.perf_counter()
    villages_of: dict[str, list[str]] = defaultdict(list)
    for village in Region.objects.filter(level=4).order_by("code").values_list("code", flat=True):
        villages_of[village[:5]].append(village)
    districts = sorted(villages_of)
    cases = []
    for n, district in enumerate(districts):
        for k in range(CASES_PER_DISTRICT):
            received = local(10, 0) - timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 12))
            cases.append(Case(
                election=election, region_id=rng.choice(villages_of[district]), kind=Case.Kind.REPORT, source=Case.Source.VOTER,
                status=Case.Status.RECEIVED, tracking_code=f"RB{n:05d}{k:02d}", reporter_name="Pelapor (bench)", reporter_address="Alamat (bench)",
                occurred_on=received.date() - timedelta(days=1), occurred_place="Tempat (bench)", known_on=received.date(),
                description="Uraian (bench)", received_at=received, status_since=received,
            ))  # fmt: skip
    Case.objects.bulk_create(cases, batch_size=BATCH)
    figures["cases"] = len(cases)

    # Guard posts of every POSTS_EVERY-th kabupaten, with the personnel of their Polsek.
    polsek_of = dict(Agency.objects.filter(kind=Agency.Kind.POLSEK).values_list("region_id", "pk"))
    posted = set(districts[::POSTS_EVERY])
    by_kecamatan: dict[str, list[int]] = defaultdict(list)
    for sid, village in stations:
        if village[:5] in posted:
            by_kecamatan[village.rsplit(".", 1)[0]].append(sid)
    fixed = local(9, 0, -3)
    posts, members, number = [], [], defaultdict(int)
    for kecamatan in sorted(by_kecamatan):
        tps = by_kecamatan[kecamatan]
        for i in range(0, len(tps), STATIONS_PER_POST):
            group = tps[i : i + STATIONS_PER_POST]
            number[kecamatan[:5]] += 1
            posts.append(GuardPost(election=election, polsek_id=polsek_of[kecamatan], code=f"{kecamatan}-{i // STATIONS_PER_POST + 1}", number=number[kecamatan[:5]],
                                   level="rawan", station_key=",".join(map(str, group)), police=2, linmas=2, fixed_at=fixed))  # fmt: skip
            members.append(group)
    with transaction.atomic():
        GuardPost.objects.bulk_create(posts, batch_size=BATCH)
        through = GuardPost.stations.through
        batched(through, (through(guardpost_id=post.pk, station_id=sid) for post, group in zip(posts, members, strict=True) for sid in group))
        PolsekPersonnel.objects.bulk_create(
            [PolsekPersonnel(election=election, agency_id=polsek_of[k], available=rng.randint(5, 40), reinforcements=rng.choice([0, 0, 5])) for k in sorted(by_kecamatan)],
            batch_size=BATCH, ignore_conflicts=True,
        )  # fmt: skip
    figures["posts"], figures["posted_districts"] = len(posts), len(posted)

    # Outbound consignments of a share of the kabupaten; a few discrepancies at delivered ones.
    shipped = {d for d in districts if rng.random() < CONSIGNMENT_DISTRICTS}
    states = [Consignment.State.DELIVERED] * 7 + [Consignment.State.DISPATCHED] * 2 + [Consignment.State.PLANNED]
    with transaction.atomic():
        consignments = [
            Consignment(election=election, station_id=sid, direction=Consignment.Direction.OUT, state=rng.choice(states), holder=f"kpps:{sid}",
                        dispatched_at=local(8, 0, -2))
            for sid, village in stations if village[:5] in shipped
        ]  # fmt: skip
        for i in range(0, len(consignments), BATCH):
            Consignment.objects.bulk_create(consignments[i : i + BATCH])
        faulty = [c for c in consignments if c.state == Consignment.State.DELIVERED and rng.random() < DISCREPANCY_SHARE]
        handovers = [Handover(consignment=c, sequence=1, from_party="pps", to_party=f"kpps:{c.station_id}", place="TPS", handed_at=local(9, 0, -1),
                              counts={}, giver_name="PPS (bench)", receiver_name="KPPS (bench)") for c in faulty]  # fmt: skip
        Handover.objects.bulk_create(handovers, batch_size=BATCH)
        Discrepancy.objects.bulk_create([Discrepancy(handover=h, kind=Discrepancy.Kind.values[0], item_code="surat_suara", quantity=1) for h in handovers], batch_size=BATCH)
    figures["consignments"], figures["discrepancies"] = len(consignments), len(handovers)
    figures["rest_s"] = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return figures


VIEWERS = {
    # page group -> agency kind of a national viewer, of a province viewer
    "bawaslu": ("bawaslu_ri", "bawaslu_provinsi"),
    "polisi": ("polri", "polda"),
    "kpu": ("kpu_ri", "kpu_provinsi"),
}
PAGES = [
    ("bawaslu", "situasi/"), ("bawaslu", "situasi/terkini/"), ("bawaslu", "situasi/rekap/"),
    ("bawaslu", "rawan/"), ("polisi", "rawan/kelas/"), ("polisi", "pengamanan/"),
    ("kpu", "logistik/"), ("kpu", "logistik/status/"),
]  # fmt: skip


def make_viewers(areas: dict[str, str | None]) -> dict[tuple[str, str], object]:
    """(scope, page group) -> a user of a national or province body (fixture: agencies written
    directly, the user through `ensure_user`)."""
    import secrets

    from sinergi.accounts.models import Agency, User
    from sinergi.accounts.services import ensure_user

    users = {}
    for scope in ("national", "province", "province-last"):
        code = areas[scope]
        for group, (national_kind, province_kind) in VIEWERS.items():
            kind = national_kind if code is None else province_kind
            slug = f"bench-{group}-{scope}"
            agency = Agency.objects.update_or_create(slug=slug, defaults={"kind": kind, "name": f"Bench {kind} {code or 'RI'}", "region_id": code})[0]
            user = ensure_user(actor=None, username=slug, agency=agency, role="staff", full_name=f"Bench {group} {scope}", password=secrets.token_urlsafe(16))
            users[scope, group] = User.objects.select_related("agency").get(pk=user.pk)
    return users


class QueryCounter(list):
    """Counts the statements a request runs (with DEBUG off Django keeps no query log)."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def time_pages(args: argparse.Namespace, users: dict, areas: dict) -> list[dict]:
    from django.db import OperationalError, connection
    from django.test import Client

    # A statement running longer than --timeout is cancelled by PostgreSQL: the page is reported as
    # stopped instead of holding the run (and a core of a shared machine) for good.
    connection.close()
    connection.settings_dict.setdefault("OPTIONS", {})["options"] = f"-c statement_timeout={int(args.timeout * 1000)}"
    rows = []
    for scope in args.scope or ("national", "province", "province-last"):
        for group, page in PAGES:
            if args.only and not any(part in page for part in args.only):
                continue
            client = Client()
            client.force_login(users[scope, group])
            url = f"/pemilihan/pemilu-2024/{page}?pada={AS_OF}"

            def get(url=url, client=client):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code, response.content[:300])
                return response

            executed = QueryCounter()
            start = time.perf_counter()
            try:
                with connection.execute_wrapper(executed):
                    response = get()
            except OperationalError as error:
                print(f"| {scope} ({areas[scope] or 'RI'}) | {users[scope, group].agency.kind} | `{page}` | stopped after {time.perf_counter() - start:,.0f} s "
                      f"(statement timeout: {str(error).splitlines()[0]}) | | | | {open('/proc/loadavg').read().split()[0]} |", flush=True)  # fmt: skip
                continue
            first = time.perf_counter() - start
            samples = [first * 1000]
            if first <= args.slow:
                for _ in range(max(0, args.warmup - 1)):
                    get()
                samples = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    get()
                    samples.append((time.perf_counter() - start) * 1000)
            samples.sort()
            memory = national_exports.memory_mib()
            row = {
                "scope": scope, "area": areas[scope] or "RI", "viewer": users[scope, group].agency.kind, "page": page,
                "median": statistics.median(samples), "p95": samples[math.ceil(0.95 * len(samples)) - 1], "runs": len(samples),
                "queries": len(executed), "kib": len(response.content) / 1024, "rss": memory["VmRSS"], "peak": memory["VmHWM"],
                "load": open("/proc/loadavg").read().split()[0],
            }  # fmt: skip
            rows.append(row)
            print(
                f"| {scope} ({row['area']}) | {row['viewer']} | `{page}` | {row['median']:,.1f} / {row['p95']:,.1f} ({row['runs']}) | {row['queries']} "
                f"| {row['kib']:,.0f} | {row['rss']:,.0f} / {row['peak']:,.0f} | {row['load']} |",
                flush=True,
            )
    return rows


def main() -> None:
    args = parse_args()
    wall = time.perf_counter()
    if not args.reuse:
        registry.recreate_database(args.server, args.database)
    registry.setup_django(args.server, args.database)
    from django.conf import settings
    from django.test.utils import override_settings

    # Static files by the stock storage: production's manifest storage needs `collectstatic` first.
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
    from sinergi.supervisors.models import Report

    election = national_exports.build_nation(args)
    if not Report.objects.filter(election=election).exists():
        print("voting day:", load_voting_day(election), flush=True)
    areas = registry.scopes()
    users = make_viewers(areas)
    print(f"\nas of {AS_OF} WITA; median / p95 ms (runs); queries; KiB; RSS / peak MiB after the page; load average (1 min)")
    print("| Viewer | Kind | Page | median / p95 ms (runs) | queries | KiB | RSS / peak MiB | load |\n|---|---|---|---:|---:|---:|---:|---:|")
    time_pages(args, users, areas)
    print(f"\nwall time: {time.perf_counter() - wall:.0f} s")


if __name__ == "__main__":
    main()

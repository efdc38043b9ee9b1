"""Benchmark: a national TPS registry (820,161 TPS) on PostgreSQL, through the real read paths.

Run from the repository root with the project's virtualenv:

    .venv/bin/python bench/national_registry.py                    # full size, 820,161 TPS
    .venv/bin/python bench/national_registry.py --stations 50000   # quick run
    .venv/bin/python bench/national_registry.py --reuse            # keep the loaded data, time again

What it does:
1. Drops and recreates the database `sinergi_bench` (kept as it is with --reuse) on --server
   (default postgres://sinergi@127.0.0.1:5432; the role needs CREATEDB) and migrates it.
   DATABASE_URL is ignored: the script always builds its own URL to `sinergi_bench`, so it can
   never drop another database. DEBUG is forced off (no query logging), as in production.
2. Fixture (not a measurement of the application): the `pemilu-2024` preset, 38 provinces,
   514 regencies, 7,277 kecamatan and 83,731 villages with Kemendagri-shaped codes
   (`PP.RR.KK.2VVV`), and N TPS spread evenly over the villages, written with bulk_create
   (batches of 5,000), then VACUUM ANALYZE. The import service is not used for this: it would
   write one audit event per TPS.
3. Times the real import service once on one district-sized file (650 TPS, into the
   `pilkada-2024` election so the national figures stay exact), then re-imports it unchanged.
4. Times, for a kecamatan-, district- (kabupaten) and province-scoped user, a superuser
   (national) and a user of the last province in code order, median and p95 over --repeat runs
   after a warm-up: the TPS list page's count and first page (`filtered_stations`), the
   overview's `counts_for` and `counts_by_kecamatan`, and GET /api/v1/stations (test Client, token).
5. Prints EXPLAIN ANALYZE of the district-scoped count and a Markdown table of the results.

Writes nothing to the repository. Figures for this machine: docs/benchmarks.md.
"""

import argparse
import csv
import io
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
DB_NAME = "sinergi_bench"
NATIONAL_STATIONS = 820_161
PROVINCES, REGENCIES, DISTRICTS, VILLAGES = 38, 514, 7_277, 83_731
IMPORT_ROWS = 650
BATCH = 5_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stations", type=int, default=NATIONAL_STATIONS, help="TPS to load (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per read path (default %(default)s)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs before them (default %(default)s)")
    parser.add_argument("--reuse", action="store_true", help="keep sinergi_bench as it is: no drop, no load")
    parser.add_argument("--server", default="postgres://sinergi@127.0.0.1:5432", help="PostgreSQL server URL, no database")
    return parser.parse_args()


def recreate_database(server: str, name: str = DB_NAME) -> None:
    """An empty database `name` (the benches' own: dropped and made again)."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def setup_django(server: str, name: str = DB_NAME) -> None:
    """Django on database `name` with production settings (DEBUG off), for the test Client."""
    os.environ["DATABASE_URL"] = f"{server}/{name}"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-key-for-a-throwaway-database")
    os.environ.setdefault("AUDIT_KEY", "benchmark-only-audit-key-for-a-throwaway-database")
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the host name of Django's test Client
    os.environ["DJANGO_SETTINGS_MODULE"] = "sinergi.settings"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def split(total: int, parts: int) -> list[int]:
    """`total` spread over `parts` as evenly as whole numbers allow."""
    return [total * (i + 1) // parts - total * i // parts for i in range(parts)]


def build_regions() -> list[list]:
    """The four levels of Region rows, parents first, shaped like Kemendagri codes."""
    from sinergi.regions.models import Region

    levels: list[list] = [[], [], [], []]
    for p, n_reg in enumerate(split(REGENCIES, PROVINCES)):
        province = f"{11 + p:02d}"
        levels[0].append(Region(code=province, level=1, kind="provinsi", name=f"Provinsi {province}"))
        levels[1] += [Region(code=f"{province}.{r + 1:02d}", parent_id=province, level=2, kind="kabupaten", name=f"Kabupaten {province}.{r + 1:02d}") for r in range(n_reg)]
    for regency, n_kec in zip(levels[1], split(DISTRICTS, REGENCIES), strict=True):
        levels[2] += [Region(code=f"{regency.code}.{k + 1:02d}", parent_id=regency.code, level=3, kind="kecamatan", name=f"Kecamatan {regency.code}.{k + 1:02d}") for k in range(n_kec)]
    for district, n_vil in zip(levels[2], split(VILLAGES, DISTRICTS), strict=True):
        levels[3] += [Region(code=f"{district.code}.{2001 + v}", parent_id=district.code, level=4, kind="desa", name=f"Desa {district.code}.{2001 + v}") for v in range(n_vil)]
    return levels


def load(n_stations: int) -> dict[str, float]:
    from django.db import connection, transaction

    from sinergi.elections.services import install_preset
    from sinergi.regions.models import Region
    from sinergi.stations.models import Station

    timings = {}
    start = time.perf_counter()
    election = install_preset(actor=None, slug="pemilu-2024")
    with transaction.atomic():
        for level in build_regions():
            Region.objects.bulk_create(level, batch_size=BATCH)
    timings["regions"] = time.perf_counter() - start

    rng = random.Random(2024)
    villages = list(Region.objects.filter(level=4).order_by("code").values_list("code", flat=True))
    start, batch = time.perf_counter(), []
    for code, count in zip(villages, split(n_stations, len(villages)), strict=True):
        for number in range(1, count + 1):
            sea = rng.random() < 0.02
            batch.append(
                Station(
                    election=election, village_id=code, number=number, place=f"SD Negeri {number} {code}",
                    latitude=rng.uniform(-10.5, 5.5), longitude=rng.uniform(95.5, 140.5), voters=rng.randint(150, 300),
                    access="laut" if sea else "darat", crossing="Kapal motor" if sea else "",
                    location_estimated=rng.random() < 0.1,
                )
            )
            if len(batch) == BATCH:
                Station.objects.bulk_create(batch, batch_size=BATCH)
                batch = []
    Station.objects.bulk_create(batch, batch_size=BATCH)
    timings["stations"] = time.perf_counter() - start

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timings["vacuum"] = time.perf_counter() - start
    return timings


def scopes() -> dict[str, str | None]:
    """The areas timed: a province in the middle of the code order, its first regency and
    kecamatan, the whole country, and the last province (the worst case of the list's first page)."""
    from sinergi.regions.models import Region

    provinces = list(Region.objects.filter(level=1).order_by("code").values_list("code", flat=True))
    province = provinces[len(provinces) // 2]
    regency = Region.objects.filter(parent_id=province).order_by("code").first().code
    district = Region.objects.filter(parent_id=regency).order_by("code").first().code
    return {"kecamatan": district, "district": regency, "province": province, "national": None, "province-last": provinces[-1]}


def bench_agency(*, slug: str, kind: str, name: str, region_code: str):
    """The agency of a benchmark user, through `ensure_agency`, except at a province: no agency
    kind serves a province (Bawaslu and the Polres serve a kabupaten), so `ensure_agency` refuses
    one there. The province-wide stand-in is written directly: a fixture, as a Bawaslu or Polda
    of the province would be if the kind existed."""
    from sinergi.accounts.models import Agency
    from sinergi.accounts.services import ensure_agency
    from sinergi.regions.codes import PROVINCE, level_of

    if level_of(region_code) == PROVINCE:
        return Agency.objects.update_or_create(slug=slug, defaults={"kind": kind, "name": name, "region_id": region_code})[0]
    return ensure_agency(actor=None, slug=slug, kind=kind, name=name, region_code=region_code)


def make_users(areas: dict[str, str | None]) -> dict[str, tuple]:
    """(user, API token) per scope, created through the account services."""
    import secrets

    from sinergi.accounts.models import User
    from sinergi.accounts.services import create_token, ensure_user

    kinds = {"kecamatan": "panwascam", "district": "bawaslu", "province": "bawaslu", "province-last": "bawaslu"}
    users = {}
    for scope, code in areas.items():
        username = f"bench-{scope}"
        if code is None:
            user = User.objects.filter(username=username).first() or User.objects.create_superuser(username, password=None)
        else:
            agency = bench_agency(slug=username, kind=kinds[scope], name=f"Bench {scope} {code}", region_code=code)
            user = ensure_user(actor=None, username=username, agency=agency, role="staff", full_name=f"Bench {scope}", password=secrets.token_urlsafe(16))
        users[scope] = (User.objects.get(pk=user.pk), create_token(actor=None, user=user, name="benchmark"))
    return users


def time_import(regency: str) -> dict[str, float]:
    """The real import service on one district-sized CSV: first import (creates), then unchanged."""
    from sinergi.elections.services import install_preset
    from sinergi.regions.models import Region
    from sinergi.stations import fileformat as ff
    from sinergi.stations.models import Station
    from sinergi.stations.services import import_stations_file

    election = install_preset(actor=None, slug="pilkada-2024")
    Station.objects.filter(election=election).delete()  # fixture reset, so --reuse times a fresh import
    villages = list(Region.objects.filter(level=4, parent__parent_id=regency).select_related("parent").order_by("code"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ff.COLUMNS)
    for i in range(IMPORT_ROWS):
        village, number = villages[i % len(villages)], i // len(villages) + 1
        writer.writerow([village.parent_id, village.parent.name, village.code, village.name, number, f"Balai Desa {number}",
                         "", "", 200 + i % 100, "darat", "", "tidak", "tidak"])
    content = out.getvalue().encode()
    figures = {}
    for label, expected in (("import_create", "created"), ("import_unchanged", "unchanged")):
        start = time.perf_counter()
        result = import_stations_file(actor=None, election=election, filename="x.csv", content=content)
        figures[label] = time.perf_counter() - start
        assert getattr(result, expected) == IMPORT_ROWS, result.summary()
    return figures


def measure(fn, repeat: int, warmup: int) -> tuple[float, float]:
    """Median and p95 (nearest rank) in milliseconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[math.ceil(0.95 * len(samples)) - 1]


def time_reads(users: dict[str, tuple], repeat: int, warmup: int) -> tuple[dict, dict]:
    from django.test import Client

    from sinergi.elections.models import Election
    from sinergi.stations.queries import counts_by_kecamatan, counts_for, filtered_stations

    election = Election.objects.get(slug="pemilu-2024")
    client = Client()

    def api(token: str, expected: int):
        def call():
            response = client.get("/api/v1/stations?election=pemilu-2024&limit=100", headers={"authorization": f"Bearer {token}"})
            assert response.status_code == 200, response.content[:200]
            body = response.json()
            assert body["count"] == expected and len(body["items"]) == min(100, expected)
        return call

    results, sizes = {}, {}
    for scope, (user, token) in users.items():
        sizes[scope] = filtered_stations(user, election).count()
        paths = {
            "list: count": lambda user=user: filtered_stations(user, election).count(),
            "list: first 50 rows": lambda user=user: list(filtered_stations(user, election)[:50]),
            "overview: counts_for": lambda user=user: counts_for(user, election),
            "overview: counts_by_kecamatan": lambda user=user: counts_by_kecamatan(user, election),
            "API: GET /api/v1/stations limit=100": api(token, sizes[scope]),
        }
        for path, fn in paths.items():
            results[(path, scope)] = measure(fn, repeat, warmup)
    return results, sizes


def explain_district_count(user) -> str:
    """EXPLAIN ANALYZE of the exact SQL that filtered_stations(...).count() sends."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sinergi.elections.models import Election
    from sinergi.stations.queries import filtered_stations

    queryset = filtered_stations(user, Election.objects.get(slug="pemilu-2024"))
    user.area_code  # noqa: B018 - load the agency first, so the last captured query is the count
    with CaptureQueriesContext(connection) as captured:
        queryset.count()
    sql = captured.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return f"{sql}\n\n{plan}"


def main() -> None:
    args = parse_args()
    wall = time.perf_counter()
    if not args.reuse:
        recreate_database(args.server)
    setup_django(args.server)
    from django.core.management import call_command

    from sinergi.stations.models import Station

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - start:.1f} s")
    if not args.reuse:
        load_times = load(args.stations)
        print(f"fixture: regions {load_times['regions']:.1f} s; {args.stations:,} TPS by bulk_create "
              f"{load_times['stations']:.1f} s ({args.stations / load_times['stations']:,.0f} rows/s); "
              f"VACUUM ANALYZE {load_times['vacuum']:.1f} s")
    areas = scopes()
    users = make_users(areas)
    print(f"TPS in pemilu-2024: {Station.objects.filter(election__slug='pemilu-2024').count():,}; scopes: {areas}")

    imports = time_import(areas["district"])
    for label, seconds in imports.items():
        print(f"{label}: {IMPORT_ROWS} rows in {seconds * 1000:.0f} ms = {IMPORT_ROWS / seconds:,.0f} rows/s")

    print("\nEXPLAIN ANALYZE, district-scoped count:\n" + explain_district_count(users["district"][0]) + "\n")

    results, sizes = time_reads(users, args.repeat, args.warmup)
    scope_names = list(users)
    print(f"Median / p95 in ms over {args.repeat} runs after {args.warmup} warm-up runs:\n")
    print("| Read path | " + " | ".join(f"{s} ({sizes[s]:,} TPS)" for s in scope_names) + " |")
    print("|---|" + "---:|" * len(scope_names))
    for path in dict.fromkeys(path for path, _ in results):
        print(f"| {path} | " + " | ".join("{:.1f} / {:.1f}".format(*results[(path, s)]) for s in scope_names) + " |")
    print(f"\nwall time: {time.perf_counter() - wall:.0f} s")


if __name__ == "__main__":
    main()

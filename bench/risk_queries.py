"""Benchmark: the vulnerability (risk) and guard-plan read paths on a national TPS registry (PostgreSQL).

Run from the repository root with the project's virtualenv:

    .venv/bin/python bench/risk_queries.py                     # full size, 820,161 TPS
    .venv/bin/python bench/risk_queries.py --stations 50000    # quick run
    .venv/bin/python bench/risk_queries.py --reuse             # keep the loaded data, time again

What it does:
1. The registry of bench/national_registry.py, in the same database `sinergi_bench` on --server
   (dropped and rebuilt unless --reuse; its URL is built here, DATABASE_URL is ignored, DEBUG off):
   the `pemilu-2024` preset, 38 provinces, 514 kabupaten, 7,277 kecamatan, 83,731 villages and
   N TPS spread evenly over the villages. --reuse also accepts a database left by
   national_registry.py, and adds the fixture below if it is missing.
2. Risk and guard fixture (not a measurement; deterministic, seed 2024), written with bulk_create
   in batches of 5,000 rather than through the services, which audit every answer:
   - the Pemilu 2024 indicator catalogue (`risk.catalogue.load_preset_catalogue`), 22 indicators;
   - checklist answers, present=True, at the Pemilu 2024 national rate of each indicator
     (bench/guard_plan.py: Bawaslu's count / 820,161, from 0.1% to 15% of TPS) times a factor in
     [0.25, 1.75] drawn per kecamatan, so vulnerable TPS cluster. "Absent" is not stored (the
     services store no row for it either);
   - a police class (`StationClass`) for 30% of TPS: the suggested class, one in ten of them
     raised one level (an officer's override);
   - a Polres per kabupaten (514, `accounts.services.ensure_agency`) with the formation
     `polda-bali-pilkada-2024` (`guard.services.install_formation_preset`); then VACUUM ANALYZE.
3. Users, all holding risk.view, risk.view_class and guard.view: a Polsek (kecamatan), the Polres of
   a kabupaten (district: the main use), a province-wide police stand-in (no agency kind serves a
   province, so that row is written directly) and a superuser (national). The areas are those of
   national_registry.py: the middle province, its first kabupaten and that kabupaten's first kecamatan.
4. Times, per scope, median and p95 over --repeat runs after --warmup runs (national:
   --national-repeat runs after one warm-up): `risk.queries.release_for`, `classes_for`,
   `guard.queries.plan_for`, the risk map layer, GET /api/v1/risk/release and
   /api/v1/risk/classes?limit=1000 (token), the classes review page (first page of 100) and, below
   national, the release page and the guard plan page (test Client, logged in). Every response is
   checked (status, and the TPS count where the path reports one).
   A path whose first run takes longer than --slow seconds is not repeated: that run is reported.
5. National memory: each national path once more in a fresh child process (the same script,
   --child), reporting its wall time, the RSS before the call and the peak RSS (VmHWM) after it.
   National `plan_for` runs only that way (once), unless --no-national-plan.

Writes nothing to the repository. Figures for this machine: docs/benchmarks.md.
"""

import argparse
import json
import math
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime

import guard_plan
import national_registry as registry

SEED = 2024
BATCH = registry.BATCH
CLASS_SHARE, OVERRIDE_SHARE = 0.30, 0.10
FORMATION = "polda-bali-pilkada-2024"
FILLED_AT = datetime(2024, 1, 20, 9, 0, tzinfo=UTC)
SCOPES = ("kecamatan", "district", "province", "national")
# Paths not timed nationally: their cost grows with villages x kecamatan, or they run plan_for.
NOT_NATIONAL = {"page: release (rawan/)", "page: guard plan (pengamanan/)"}
LEVEL_UP = {"kurang_rawan": "rawan", "rawan": "sangat_rawan", "sangat_rawan": "sangat_rawan", "khusus": "khusus"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stations", type=int, default=registry.NATIONAL_STATIONS, help="TPS to load (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per path below national (default %(default)s)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs before them, at least 1 (default %(default)s)")
    parser.add_argument("--national-repeat", type=int, default=3, help="timed national runs, after 1 warm-up (default %(default)s)")
    parser.add_argument("--slow", type=float, default=30, help="seconds: a path whose first run is slower is timed once (default %(default)s)")
    parser.add_argument("--child-timeout", type=float, default=1800, help="seconds allowed to one national fresh-process run (default %(default)s)")
    parser.add_argument("--no-national-plan", action="store_true", help="skip the single national plan_for run")
    parser.add_argument("--reuse", action="store_true", help="keep sinergi_bench: no drop, no reload of the TPS")
    parser.add_argument("--server", default="postgres://sinergi@127.0.0.1:5432", help="PostgreSQL server URL, no database")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: one national path in a fresh process
    return parser.parse_args()


# --- fixture -----------------------------------------------------------------------------------
def load_risk_fixture(election) -> dict[str, float]:
    """Catalogue, answers, classes, Polres and formations (step 2 of the docstring)."""
    from django.db import connection, transaction

    from sinergi.accounts.models import Agency
    from sinergi.accounts.services import ensure_agency
    from sinergi.guard.services import install_formation_preset
    from sinergi.regions.models import Region
    from sinergi.risk import classify
    from sinergi.risk.catalogue import load_preset_catalogue
    from sinergi.risk.models import ChecklistAnswer, Indicator, StationClass
    from sinergi.risk.queries import class_rule_for
    from sinergi.stations.models import Station

    timings = {}
    start = time.perf_counter()
    load_preset_catalogue(election)
    indicators = dict(Indicator.objects.filter(election=election).values_list("code", "pk"))
    assert list(indicators) == list(guard_plan.RATES), "catalogue codes differ from bench/guard_plan.py's rates"
    stations = list(Station.objects.filter(election=election).order_by("village_id", "number").values_list("id", "village_id"))
    by_kecamatan: dict[str, list[int]] = defaultdict(list)
    for sid, village in stations:
        by_kecamatan[village.rsplit(".", 1)[0]].append(sid)
    rng = random.Random(SEED)
    present = guard_plan.draw_indicators([by_kecamatan[k] for k in sorted(by_kecamatan)], rng)
    answers = (ChecklistAnswer(station_id=sid, indicator_id=indicators[code], present=True, filled_at=FILLED_AT)
               for sid in sorted(present) for code in sorted(present[sid]))  # fmt: skip
    with transaction.atomic():
        batch = []
        for answer in answers:
            batch.append(answer)
            if len(batch) == BATCH:
                ChecklistAnswer.objects.bulk_create(batch)
                batch = []
        ChecklistAnswer.objects.bulk_create(batch)
    timings["answers"] = time.perf_counter() - start

    start = time.perf_counter()
    rule = class_rule_for(election)
    variable_of = dict(Indicator.objects.filter(election=election).values_list("code", "variable__number"))
    classes = []
    for sid, _ in stations:
        if rng.random() < CLASS_SHARE:
            level = classify.suggest(present.get(sid, set()), variable_of, special_location=False, rule=rule).level
            override = rng.random() < OVERRIDE_SHARE
            classes.append(StationClass(station_id=sid, level=LEVEL_UP[level] if override else level,
                                        reason="Penilaian lapangan (bench)" if override else "", set_at=FILLED_AT))  # fmt: skip
    with transaction.atomic():
        StationClass.objects.bulk_create(classes, batch_size=BATCH)
    timings["classes"] = time.perf_counter() - start

    start = time.perf_counter()
    for code, name in Region.objects.filter(level=2).order_by("code").values_list("code", "name"):
        polres = ensure_agency(actor=None, slug=f"bench-polres-{code.replace('.', '-')}", kind=Agency.Kind.POLRES, name=f"Polres {name}", region_code=code)
        install_formation_preset(actor=None, election=election, polres=polres, preset=FORMATION)
    timings["formations"] = time.perf_counter() - start

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timings["vacuum"] = time.perf_counter() - start
    timings.update(answers_n=sum(map(len, present.values())), classes_n=len(classes), stations_n=len(stations))
    return timings


def make_users(areas: dict[str, str | None]) -> dict[str, tuple]:
    """(user, API token) per scope: Polsek, the kabupaten's Polres, a province stand-in, superuser."""
    import secrets

    from sinergi.accounts.models import Agency, User
    from sinergi.accounts.services import create_token, ensure_user

    users = {}
    for scope in SCOPES:
        code, username = areas[scope], f"bench-risk-{scope}"
        if code is None:
            user = User.objects.filter(username=username).first() or User.objects.create_superuser(username, password=None)
        else:
            if scope == "district":  # the Polres the fixture made for this kabupaten
                agency = Agency.objects.get(slug=f"bench-polres-{code.replace('.', '-')}")
            else:
                kind = Agency.Kind.POLSEK if scope == "kecamatan" else Agency.Kind.POLRES
                agency = registry.bench_agency(slug=username, kind=kind, name=f"Bench {scope} {code}", region_code=code)
            user = ensure_user(actor=None, username=username, agency=agency, role="staff", full_name=f"Bench {scope}", password=secrets.token_urlsafe(16))
        users[scope] = (User.objects.get(pk=user.pk), create_token(actor=None, user=user, name="benchmark"))
    return users


# --- the timed paths ---------------------------------------------------------------------------
def paths_for(user, token: str, election, expected: int) -> dict:
    """Name -> a call that runs the path once and checks its answer."""
    from django.test import Client

    from sinergi.guard.queries import plan_for
    from sinergi.risk.queries import classes_for, release_for

    slug = election.slug
    page_client, api_client = Client(), Client()
    page_client.force_login(user)
    auth = {"authorization": f"Bearer {token}"}

    def get(client, url, **kwargs):
        response = client.get(url, **kwargs)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        return response

    def release():
        assert release_for(user, election).stations == expected

    def classes():
        assert len(classes_for(user, election)) == expected

    def plan():
        guard = plan_for(user, election)
        assert len(guard.stations) == expected and not guard.without_formation

    def map_layer():
        assert len(get(page_client, f"/pemilihan/{slug}/rawan/peta.json").json()) == expected

    def api_release():
        assert get(api_client, f"/api/v1/risk/release?election={slug}", headers=auth).json()["stations"] == expected

    def api_classes():
        body = get(api_client, f"/api/v1/risk/classes?election={slug}&limit=1000", headers=auth).json()
        assert body["count"] == expected and len(body["items"]) == min(1000, expected)

    def classes_page():
        get(page_client, f"/pemilihan/{slug}/rawan/kelas/")

    def release_page():
        get(page_client, f"/pemilihan/{slug}/rawan/")

    def plan_page():
        get(page_client, f"/pemilihan/{slug}/pengamanan/")

    return {
        "release_for": release,
        "classes_for": classes,
        "plan_for": plan,
        "map layer: GET rawan/peta.json": map_layer,
        "API: GET /api/v1/risk/release": api_release,
        "API: GET /api/v1/risk/classes limit=1000": api_classes,
        "page: classes review (rawan/kelas/, first 100)": classes_page,
        "page: release (rawan/)": release_page,
        "page: guard plan (pengamanan/)": plan_page,
    }


def measure(fn, repeat: int, warmup: int, slow: float) -> tuple[float, float, int]:
    """Median and p95 (nearest rank) in milliseconds, and the number of timed runs. A path whose
    first run takes longer than `slow` seconds is not run again: that run is its only sample."""
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    if first > slow:
        return first * 1000, first * 1000, 1
    for _ in range(warmup - 1):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[math.ceil(0.95 * len(samples)) - 1], repeat


def memory_mib() -> dict[str, float]:
    """The process's resident set now (VmRSS) and its peak since exec (VmHWM), in MiB. Not
    ru_maxrss: Linux carries that over from the parent across fork and exec."""
    with open("/proc/self/status", encoding="ascii") as status:
        fields = dict(line.split(":", 1) for line in status)
    return {key: int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM")}


def run_child(args: argparse.Namespace, path: str) -> dict:
    """One national path in a fresh process: its wall time and peak-RSS growth."""
    command = [sys.executable, __file__, "--reuse", "--server", args.server, "--child", path]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=args.child_timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {args.child_timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(path: str) -> None:
    from sinergi.elections.models import Election
    from sinergi.stations.models import Station

    users = make_users(registry.scopes())
    election = Election.objects.get(slug="pemilu-2024")
    user, token = users["national"]
    fn = paths_for(user, token, election, Station.objects.filter(election=election).count())[path]
    before = memory_mib()
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "rss_before_mib": before["VmRSS"], "rss_peak_mib": memory_mib()["VmHWM"]}))


def setup_django(server: str) -> None:
    """national_registry's set-up, and static files served by the stock storage: production's
    manifest storage needs `collectstatic` first, and a page only looks its files up."""
    registry.setup_django(server)
    from django.conf import settings
    from django.test.utils import override_settings

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}).enable()


def main() -> None:
    args = parse_args()
    wall = time.perf_counter()
    if args.child:
        setup_django(args.server)
        child(args.child)
        return
    if not args.reuse:
        registry.recreate_database(args.server)
    setup_django(args.server)
    from django.core.management import call_command

    from sinergi.elections.models import Election
    from sinergi.risk.models import ChecklistAnswer, StationClass
    from sinergi.stations.models import Station

    call_command("migrate", verbosity=0)
    if not args.reuse:
        load_times = registry.load(args.stations)
        print(
            f"fixture: regions {load_times['regions']:.1f} s; {args.stations:,} TPS {load_times['stations']:.1f} s; VACUUM ANALYZE {load_times['vacuum']:.1f} s"
        )
    election = Election.objects.get(slug="pemilu-2024")
    if not ChecklistAnswer.objects.filter(indicator__election=election).exists():
        t = load_risk_fixture(election)
        print(f"risk fixture: {t['answers_n']:,} answers present over {t['stations_n']:,} TPS {t['answers']:.1f} s; "
              f"{t['classes_n']:,} police classes {t['classes']:.1f} s; 514 Polres + formations {t['formations']:.1f} s; VACUUM ANALYZE {t['vacuum']:.1f} s")  # fmt: skip
    areas = registry.scopes()
    users = make_users(areas)
    total = Station.objects.filter(election=election).count()
    answers = ChecklistAnswer.objects.filter(indicator__election=election, present=True)
    with_answer = answers.values("station_id").distinct().count()
    set_classes = StationClass.objects.filter(station__election=election).count()
    print(f"TPS {total:,}; answers present {answers.count():,} on {with_answer:,} TPS; police classes {set_classes:,}; "
          f"areas { {s: areas[s] for s in SCOPES} }")  # fmt: skip

    from sinergi.stations.queries import stations_visible_to

    results, sizes = {}, {}
    for scope in SCOPES:
        user, token = users[scope]
        sizes[scope] = stations_visible_to(user, election).count()
        for path, fn in paths_for(user, token, election, sizes[scope]).items():
            if scope == "national" and (path in NOT_NATIONAL or path == "plan_for"):
                continue
            repeat, warmup = (args.national_repeat, 1) if scope == "national" else (args.repeat, args.warmup)
            results[(path, scope)] = measure(fn, repeat, warmup, args.slow)
            print(f"  {scope:10} {path:48} " + "{:10.1f} / {:10.1f} ms ({} runs)".format(*results[(path, scope)]), flush=True)
    print(f"main process, peak RSS after the timed runs: {memory_mib()['VmHWM']:,.0f} MiB")

    national = {}
    names = [p for p in paths_for(*users["national"], election, total) if p not in NOT_NATIONAL]
    for path in names:
        if path == "plan_for" and args.no_national_plan:
            continue
        national[path] = run_child(args, path)
        print(f"  national, fresh process: {path:48} {national[path]}", flush=True)

    print(f"\nMedian / p95 in ms; {args.repeat} runs after {args.warmup} warm-up runs, national {args.national_repeat} after 1:\n")
    print("| Read path | " + " | ".join(f"{s} ({sizes[s]:,} TPS)" for s in SCOPES) + " |")
    print("|---|" + "---:|" * len(SCOPES))
    for path in paths_for(*users["national"], election, total):
        cells = []
        for scope in SCOPES:
            if (path, scope) in results:
                median, p95, runs = results[(path, scope)]
                cells.append(f"{median:,.1f} / {p95:,.1f}" if runs > 1 else f"**{median / 1000:,.1f} s** (1 run)")
            elif scope == "national" and path in national and "seconds" in national[path]:
                cells.append(f"{national[path]['seconds'] * 1000:,.0f} (1 run)")
            else:
                cells.append("not timed")
        print(f"| {path} | " + " | ".join(cells) + " |")
    print("\nNational, one run in a fresh process: wall time, RSS before the call and peak RSS (VmHWM) after it\n")
    print("| Read path | Time | RSS before | Peak RSS | Growth |")
    print("|---|---:|---:|---:|---:|")
    for path, figure in national.items():
        if "error" in figure:
            print(f"| {path} | failed: {figure['error']} | | | |")
        else:
            print(f"| {path} | {figure['seconds']:.2f} s | {figure['rss_before_mib']:,.0f} MiB | {figure['rss_peak_mib']:,.0f} MiB | "
                  f"{figure['rss_peak_mib'] - figure['rss_before_mib']:,.0f} MiB |")  # fmt: skip
    print(f"\nwall time: {time.perf_counter() - wall:.0f} s")


if __name__ == "__main__":
    main()

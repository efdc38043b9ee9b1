"""Benchmark: police class suggestion and guard-post planning for a national TPS registry.

Run from the repository root with the project's virtualenv (no database, no Django):

    .venv/bin/python bench/guard_plan.py                     # full size, 820,161 TPS (~2 min)
    .venv/bin/python bench/guard_plan.py --stations 50000    # quick run; also --seed N, --repeat N

1. Generates (untimed, deterministic for --seed) a registry with Kemendagri-shaped codes: 38 provinces,
   514 kabupaten, 7,277 kecamatan, 83,731 villages, N TPS (all scaled with --stations), spread unevenly
   (gamma weights). TPS lie 0.5-2 km around their village centre, villages within 3 km of their
   kecamatan's; 4% of kecamatan have 2-3 islands 10-20 km offshore. Indicators are drawn at the Pemilu
   2024 national rates (docs/domain.md §4, count / 820,161) times a per-kecamatan factor in [0.25, 1.75],
   so vulnerable TPS cluster; 6.6 present = special location.
2. Times `risk.classify.suggest` for every TPS, building the `PlanStation`s, and
   `guard.planning.plan_posts` once per kabupaten (one Polres formation each, renumbered and totalled
   as `guard.queries.plan_for` does), formation polda-bali-pilkada-2024; then one call for everything.
   Peak memory: process max RSS before tracemalloc starts, then a second, traced run (not timed).
3. Same for Klungkung, --repeat times (median, p95): the demo's 649 TPS laid out by
   `stations.demo_layout.generate` in the real village polygons, 198 on Nusa Penida and Lembongan.
4. Checks every plan (each TPS in exactly one post of its class, kecamatan and island; sizes; totals)
   and stops rather than report a broken plan. Writes nothing. Figures: docs/benchmarks.md.
"""

import argparse
import csv
import json
import math
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sinergi.guard.planning import Plan, PlanStation, PostRule, kecamatan_totals, plan_posts  # noqa: E402
from sinergi.guard.presets import FORMATIONS  # noqa: E402
from sinergi.risk.classify import ClassRule, suggest  # noqa: E402
from sinergi.stations.demo_layout import VillageSpec, allocate, generate  # noqa: E402

NATIONAL = {"stations": 820_161, "regencies": 514, "kecamatan": 7_277, "villages": 83_731}
PROVINCES = [*range(11, 20), 21, *range(31, 37), 51, 52, 53, *range(61, 66), *range(71, 77), 81, 82, *range(91, 97)]
# Pemilu 2024: TPS showing each indicator nationally (docs/domain.md §4), in catalogue order 1.1 ... 7.2.
COUNTS = [int(n) for n in "125224 119796 38595 18656 2299 2209 3875 814 1205 1031 1989 1587 1582 1396 21947 10794 4862 4211 2021 1184 36236 8099".split()]
SPECIAL = "6.6"
KM = 1 / 111.0  # degrees of latitude per km (longitude taken the same: good enough here)
RULES = {level: PostRule(*r) for level, r in FORMATIONS["polda-bali-pilkada-2024"]["rules"].items()}
RULE = ClassRule(frozenset({"2.1", "2.2"}))
with open(REPO / "sinergi/risk/data/pemilu-2024.csv", newline="", encoding="utf-8") as f:
    VARIABLE_OF = {row["kode"]: int(row["variabel"]) for row in csv.DictReader(f)}
RATES = {code: n / NATIONAL["stations"] for code, n in zip(VARIABLE_OF, COUNTS, strict=True)}
KLUNGKUNG = REPO / "sinergi/regions/data/klungkung/desa.geojson"
NUSA_PENIDA, PED = "51.05.01", "51.05.01.2010"


def split(total: int, parts: int, rng: random.Random, shape: float) -> list[int]:
    return allocate(total, [rng.gammavariate(shape, 1.0) for _ in range(parts)], [1] * parts)


def around(lat: float, lon: float, rng: random.Random, low_km: float, high_km: float) -> tuple[float, float]:
    r, a = rng.uniform(low_km, high_km) * KM, rng.uniform(0, 2 * math.pi)
    return lat + r * math.sin(a), lon + r * math.cos(a)


def draw_indicators(kecamatan_ids: list[list[int]], rng: random.Random) -> dict[int, set[str]]:
    """Indicators present, per TPS id (absent: none), at the national rates, clustered by kecamatan."""
    present: dict[int, set[str]] = defaultdict(set)
    for ids in kecamatan_ids:
        hot = rng.uniform(0.25, 1.75)
        for code, rate in RATES.items():
            for sid in rng.sample(ids, rng.binomialvariate(len(ids), min(1.0, rate * hot))):
                present[sid].add(code)
    return dict(present)


def national(n: int, seed: int) -> tuple[list[tuple], dict[int, set[str]]]:
    """Stations as (id, village, kecamatan, island, lat, lon), and the indicators present."""
    rng = random.Random(seed)
    share = n / NATIONAL["stations"]
    villages = max(1, min(n, round(NATIONAL["villages"] * share)))
    kecamatans = max(1, min(villages, round(NATIONAL["kecamatan"] * share)))
    regencies = max(1, min(kecamatans, round(NATIONAL["regencies"] * share)))
    provinces = min(len(PROVINCES), regencies)
    per_province = split(regencies, provinces, rng, 3.0)
    per_regency = iter(split(kecamatans, regencies, rng, 3.0))
    per_kecamatan = iter(split(villages, kecamatans, rng, 3.0))
    per_village = iter(split(n, villages, rng, 2.0))
    stations, kecamatan_ids, sid = [], [], 0
    for province, regency_count in zip(PROVINCES[:provinces], per_province, strict=True):
        plat, plon = rng.uniform(-9.0, 4.0), rng.uniform(96.0, 140.0)
        for r in range(1, regency_count + 1):
            rlat, rlon = around(plat, plon, rng, 0, 120)
            for k in range(1, next(per_regency) + 1):
                kecamatan = f"{province}.{r:02d}.{k:02d}"
                klat, klon = around(rlat, rlon, rng, 0, 25)
                islands = rng.choice((2, 3)) if rng.random() < 0.04 else 1
                offshore = [(klat, klon)] + [around(klat, klon, rng, 10, 20) for _ in range(islands - 1)]
                ids = []
                for v in range(1, next(per_kecamatan) + 1):
                    island = rng.randrange(islands)
                    vlat, vlon = around(*offshore[island], rng, 0, 3)
                    village, island_name = f"{kecamatan}.{2000 + v}", "daratan" if island == 0 else f"pulau-{island}"
                    for _ in range(next(per_village)):
                        sid += 1
                        stations.append((sid, village, kecamatan, island_name, *around(vlat, vlon, rng, 0.5, 2.0)))
                        ids.append(sid)
                kecamatan_ids.append(ids)
    return stations, draw_indicators(kecamatan_ids, rng)


def klungkung(seed: int) -> tuple[list[tuple], dict[int, set[str]]]:
    """The demo's Pemilu 2024 layout of Klungkung (sinergi.stations.demo.seed, without the database)."""
    features = [(f["properties"], f["geometry"]) for f in json.loads(KLUNGKUNG.read_text(encoding="utf-8"))["features"]]
    specs = [VillageSpec(p["code"], p["name"], p["kecamatan_code"], g, (p["interior_lat"], p["interior_lon"])) for p, g in features]
    mainland = allocate(649 - 198, [44_431, 64_235, 40_889])  # 2020 census, as the demo does
    per_kecamatan = {NUSA_PENIDA: 198, **dict(zip(("51.05.02", "51.05.03", "51.05.04"), mainland, strict=True))}
    demo = generate(specs, stations_per_kecamatan=per_kecamatan, total_voters=167_052, max_voters=300, seed="sinergi-demo-pemilu-2024",
                    minimum_per_village={PED: 18}, named_places={(PED, 17): "Bale Banjar", (PED, 18): "Bale Banjar"})  # fmt: skip
    names = {s.code: s.name for s in specs}
    stations, by_kecamatan = [], defaultdict(list)
    for sid, s in enumerate(demo, start=1):
        kecamatan = s.village_code.rsplit(".", 1)[0]
        island = "daratan" if kecamatan != NUSA_PENIDA else "lembongan" if names[s.village_code] in ("Jungutbatu", "Lembongan") else "nusa-penida"
        stations.append((sid, s.village_code, kecamatan, island, s.latitude, s.longitude))
        by_kecamatan[kecamatan].append(sid)
    return stations, draw_indicators([by_kecamatan[d] for d in sorted(by_kecamatan)], random.Random(seed))


# --- the timed work ---------------------------------------------------------------------------
def classify_all(stations, present):
    return {s[0]: suggest(codes := present.get(s[0], set()), VARIABLE_OF, special_location=SPECIAL in codes, rule=RULE) for s in stations}


def plan_stations(stations, suggestions) -> dict[str, list[PlanStation]]:
    """PlanStations grouped by regency (one Polres formation each)."""
    by_regency = defaultdict(list)
    for sid, village, kecamatan, island, lat, lon in stations:
        by_regency[kecamatan[:5]].append(PlanStation(sid, suggestions[sid].level, village, kecamatan, island, lat, lon))
    return by_regency


def plan_per_regency(by_regency) -> Plan:
    posts = []
    for code in sorted(by_regency):
        for post in plan_posts(by_regency[code], RULES).posts:
            post.number = len(posts) + 1
            posts.append(post)
    return Plan(posts=posts, kecamatans=kecamatan_totals(posts, {}))


def run(stations, present):
    t0 = time.perf_counter()
    suggestions = classify_all(stations, present)
    t1 = time.perf_counter()
    by_regency = plan_stations(stations, suggestions)
    t2 = time.perf_counter()
    plan = plan_per_regency(by_regency)
    t3 = time.perf_counter()
    return {"suggest": t1 - t0, "build": t2 - t1, "plan": t3 - t2, "total": t3 - t0}, suggestions, by_regency, plan


# --- checks and reporting ---------------------------------------------------------------------
def ensure(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"BROKEN PLAN: {message}")


def check(plan: Plan, by_regency: dict[str, list[PlanStation]]) -> None:
    """Each TPS in exactly one post of its class, kecamatan and island; ceil(n / size) posts per
    (kecamatan, island, class); staffing by the formation; kecamatan totals adding up to the plan."""
    by_id = {s.id: s for group in by_regency.values() for s in group}
    placed = [sid for post in plan.posts for sid in post.station_ids]
    ensure(len(placed) == len(set(placed)) == len(by_id) and set(placed) == set(by_id), f"{len(placed)} placements of {len(by_id)} TPS")
    for number, post in enumerate(plan.posts, start=1):
        rule = RULES[post.level]
        ensure(post.number == number and 1 <= len(post.station_ids) <= rule.stations, f"post {number}: number or size")
        ensure((post.police, post.linmas) == (rule.police, rule.linmas), f"post {number}: staffing")
        where = {(s.level, s.kecamatan_code, s.island) for s in map(by_id.__getitem__, post.station_ids)}
        ensure(where == {(post.level, post.kecamatan_code, post.island)}, f"post {number} mixes {where}")
    cells = Counter((s.kecamatan_code, s.island, s.level) for s in by_id.values())
    ensure(len(plan.posts) == sum(-(-n // RULES[c[2]].stations) for c, n in cells.items()), "not the fewest posts")
    t = plan.kecamatans
    ensure([sum(d.posts for d in t), sum(d.stations for d in t)] == [len(plan.posts), len(by_id)], "kecamatan totals: posts, TPS")
    ensure([sum(d.police for d in t), sum(d.linmas for d in t)] == [plan.police, plan.linmas], "kecamatan totals: police, Linmas")


def traced_peak_mib(fn) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def describe(name: str, stations: list[tuple], suggestions: dict, plan: Plan) -> None:
    shape = f"{len({s[2][:5] for s in stations})} kabupaten, {len({s[2] for s in stations}):,} kecamatan, {len({s[1] for s in stations}):,} villages"
    print(f"{name}: {len(stations):,} TPS ({sum(s[3] != 'daratan' for s in stations):,} on islands), {shape}")
    print(f"  classes {dict(Counter(s.level for s in suggestions.values()).most_common())}")
    print(f"  plan: {len(plan.posts):,} posts, {plan.police:,} police, {plan.linmas:,} Linmas over {len(plan.kecamatans):,} kecamatan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stations", type=int, default=NATIONAL["stations"], help="national TPS (default %(default)s)")
    parser.add_argument("--seed", type=int, default=2024, help="generator seed (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=20, help="timed Klungkung runs (default %(default)s)")
    args = parser.parse_args()

    start = time.perf_counter()
    stations, present = national(args.stations, args.seed)
    print(f"Generation (untimed): {time.perf_counter() - start:.1f} s, process max RSS {maxrss_mib():,.0f} MiB")
    times, suggestions, by_regency, plan = run(stations, present)
    check(plan, by_regency)
    describe("National", stations, suggestions, plan)
    print(", ".join(f"{k} {v:.2f} s" for k, v in times.items()) + f" (plan_posts called once per kabupaten, {len(by_regency)} times)")
    everything = [s for group in by_regency.values() for s in group]
    start = time.perf_counter()
    single = plan_posts(everything, RULES)
    print(f"One plan_posts call for all {len(everything):,} TPS: {time.perf_counter() - start:.2f} s")
    ensure([p.station_ids for p in single.posts] == [p.station_ids for p in plan.posts], "one call differs from per-regency calls")
    rss = maxrss_mib()
    print(f"Process max RSS (generation + timed work, before tracemalloc): {rss:,.0f} MiB")
    del suggestions, by_regency, plan, single
    print(f"tracemalloc peak, suggest + build + per-regency planning: {traced_peak_mib(lambda: run(stations, present)):,.0f} MiB")
    print(f"tracemalloc peak, one plan_posts call for all: {traced_peak_mib(lambda: plan_posts(everything, RULES)):,.0f} MiB")

    k_stations, k_present = klungkung(args.seed)
    samples = []
    for _ in range(args.repeat):
        k_times, k_suggestions, k_by_regency, k_plan = run(k_stations, k_present)
        check(k_plan, k_by_regency)
        samples.append({k: v * 1000 for k, v in k_times.items()})
    describe("Klungkung", k_stations, k_suggestions, k_plan)
    p95 = sorted(s["total"] for s in samples)[math.ceil(0.95 * len(samples)) - 1]
    medians = ", ".join(f"{k} {statistics.median(s[k] for s in samples):.1f}" for k in samples[0])
    print(f"  median ms over {args.repeat} runs: {medians}; total p95 {p95:.1f} ms")
    ok = {True: "met", False: "NOT met"}
    print(f"Goals: national {times['total']:.1f} s < 60 s {ok[times['total'] < 60]}; max RSS {rss / 1024:.2f} GiB < 4 GB {ok[rss * 2**20 < 4e9]}")
    print(f"       Klungkung p95 {p95:.0f} ms < 1 s {ok[p95 < 1000]}")


if __name__ == "__main__":
    main()

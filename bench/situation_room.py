"""Benchmark: the situation room with a full voting day of Klungkung data (PostgreSQL).

Run from the repository root with the project's virtualenv:

    .venv/bin/python bench/situation_room.py                 # build the day, then time (N=200)
    .venv/bin/python bench/situation_room.py --reuse         # time again on the day already built
    .venv/bin/python bench/situation_room.py --requests 50   # quick run

What it does:
1. Drops and creates the database `sinergi_bench_sitroom` on --server (unless --reuse; its URL is
   built here, DATABASE_URL is ignored, DEBUG off) and runs `sinergi demo`: Klungkung, both
   presets, 649 TPS of pemilu-2024, agencies and personas, the demo's checklists, guard formation
   and personnel, the distribution plan (PyVRP), part of the custody chain and the demo's
   simulated reports.
2. "A full day" (deterministic, seed 20240214), written through the services, untimed:
   - Form A for **every stage of every one of the 649 TPS** (`supervisors.reports.submit_report`,
     the voting-day path, as if filed by its PTPS), those the demo lacks: preparation 06.30-07.25,
     voting 11.00-13.20, counting 17.00-20.50, transfer 21.00-23.30 local time; about 5% of each
     stage late (after its deadline); then `sealing.seal_pending` chains them into the audit trail;
   - 60 incidents (`submit_incident`) spread over the day, 10% serious, 30% medium;
   - the incidents that happened before 13.30 handled through the services as of their moments
     (`supervisors.incidents`, the clock set to each step's time): 80% referred 5-15 minutes
     after they happened (to Polsek Nusa Penida on the islands, else to the Polres), of those
     80% acknowledged, 85% of those reached and 70% of those resolved, some late; then the
     escalation sweep at 14.00 escalates every clock that ran out. The demo adds its 207 guard
     posts (205 staffed at 07.00) and its four monitoring visits;
   - every outbound consignment dispatched and handed to its PPS and its KPPS
     (`logistics.custody.dispatch`, `record_handover`) on H-3 to H-1, one in twenty with a
     discrepancy at the KPPS;
   - checklist answers at the Pemilu 2024 national rates of bench/guard_plan.py (bulk_create, as
     bench/risk_queries.py does), and a police class set for 30% of TPS (the suggested one);
   then VACUUM ANALYZE.
3. Times with Django's test Client in this process (server time: URL resolving, middleware, view,
   queries, template; no network), as of 14.00 local time on voting day (`?pada=`): the page
   `/pemilihan/pemilu-2024/situasi/`, its live fragment `situasi/terkini/`, the guard card
   `situasi/pengamanan/`, the deadline card `situasi/batas-waktu/` and every map layer the persona may open, for the Bawaslu district administrator (`bawaslu`), the Polres (`polres`) and
   the Polsek of Nusa Penida (`polsek-nusapenida`): --warmup untimed requests, then --requests
   timed ones each; prints p50 / p95 / max in ms and the queries per request.

Writes nothing to the repository. Figures for this machine: docs/benchmarks.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import national_registry as registry  # noqa: E402  (bench/ is on the path above)

DB_NAME = "sinergi_bench_sitroom"
SEED = 20240214  # not the demo's 14: its report ids come from that seed
AS_OF = "2024-02-14T14:00"
PERSONAS = ("bawaslu", "polres", "polsek-nusapenida")
# stage -> (first, last) local minute of day of the on-time reports, and the deadline (coverage.DUE)
WINDOWS = {"persiapan": ((6, 30), (7, 25), (7, 30)), "pemungutan": ((11, 0), (13, 20), (13, 30)), "penghitungan": ((17, 0), (20, 50), (21, 0)), "pengiriman": ((21, 0), (23, 30), (23, 59))}
LATE_SHARE = 0.05
INCIDENTS = 60
CLASS_SHARE = 0.30


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per persona and endpoint (default %(default)s)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests before them (default %(default)s)")
    parser.add_argument("--reuse", action="store_true", help=f"keep {DB_NAME} as it is: no drop, no load")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL, no database")
    return parser.parse_args()


def recreate_database(server: str) -> None:
    registry.recreate_database(server, DB_NAME)


def setup_django(server: str) -> None:
    registry.setup_django(server, DB_NAME)


# --- the day ------------------------------------------------------------------------------------
def local(election, day_offset: int, hour: int, minute: int) -> datetime:
    from zoneinfo import ZoneInfo

    day = election.voting_date + timedelta(days=day_offset)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(election.time_zone))


def file_reports(election, stations, rng: random.Random) -> int:
    from sinergi.supervisors.models import Report
    from sinergi.supervisors.reports import submit_report
    from sinergi.supervisors.sealing import seal_pending

    answers = {
        "persiapan": {"kotak_tersegel": True, "logistik_lengkap": True, "dpt_ditempel": True, "kpps_hadir": 7},
        "pemungutan": {"dibuka_tepat_waktu": True, "saksi_hadir": 4, "pemilih_tidak_berhak": False, "intimidasi": False},
        "penghitungan": {"penghitungan_terbuka": True, "keberatan_saksi": False},
        "pengiriman": {"dikawal": True, "segel_utuh": True},
    }
    have = set(Report.objects.filter(election=election).values_list("station_id", "stage"))
    made = 0
    for stage, (first, last, due) in WINDOWS.items():
        start, end, deadline = (h * 60 + m for h, m in (first, last, due))
        for station in stations:
            if (station.pk, stage) in have:
                continue
            minute = deadline + rng.randint(5, 60) if rng.random() < LATE_SHARE else rng.randint(start, end)
            minute = min(minute, 23 * 60 + 59)
            submit_report(actor=None, station=station, stage=stage, client_id=uuid.UUID(int=rng.getrandbits(128), version=4), answers=answers[stage],
                          narrative="", observed_at=local(election, 0, minute // 60, minute % 60), via=Report.Via.APP)  # fmt: skip
            made += 1
    seal_pending()
    return made


def file_incidents(election, stations, rng: random.Random) -> int:
    from sinergi.supervisors.models import Incident
    from sinergi.supervisors.reports import submit_incident
    from sinergi.supervisors.sealing import seal_pending

    categories = [c for c in Incident.Category.values]
    for _ in range(INCIDENTS):
        roll = rng.random()
        severity = "tinggi" if roll < 0.1 else "sedang" if roll < 0.4 else "rendah"
        minute = rng.randint(6 * 60 + 30, 22 * 60)
        submit_incident(actor=None, station=rng.choice(stations), client_id=uuid.UUID(int=rng.getrandbits(128), version=4), category=rng.choice(categories),
                        severity=severity, occurred_at=local(election, 0, minute // 60, minute % 60), description="Kejadian simulasi untuk pengukuran.")  # fmt: skip
    seal_pending()
    return INCIDENTS


def handle_incidents(election, rng: random.Random) -> str:
    from unittest import mock

    from sinergi.accounts.models import User
    from sinergi.supervisors import incidents
    from sinergi.supervisors.models import Incident

    users = {u.username: u for u in User.objects.filter(username__in=["bawaslu", "polres", "polsek-nusapenida"]).select_related("agency")}
    moment = local(election, 0, 14, 0)
    todo = Incident.objects.filter(election=election, state="baru", occurred_at__lt=moment - timedelta(minutes=30)).select_related("station__village")
    counts = {"referred": 0, "acknowledged": 0, "on site": 0, "resolved": 0}
    clock = [moment]

    def step(when: datetime, call, **kwargs) -> bool:
        clock[0] = when
        if when > moment:
            return False
        call(client_id=uuid.UUID(int=rng.getrandbits(128), version=4), **kwargs)
        return True

    with mock.patch.object(incidents.timezone, "now", lambda: clock[0]):
        for incident in todo.order_by("occurred_at", "pk"):
            if rng.random() >= 0.8:
                continue
            islands = incident.station.village_id.startswith("51.05.01")
            police = users["polsek-nusapenida" if islands else "polres"]
            at = incident.occurred_at + timedelta(minutes=rng.randint(5, 15))
            if not step(at, incidents.refer, actor=users["bawaslu"], incident=incident, agency=police.agency, note="Mohon ditangani."):
                continue
            counts["referred"] += 1
            for name, share, call, extra in (
                ("acknowledged", 0.8, incidents.acknowledge, {}),
                ("on site", 0.85, incidents.arrive, {}),
                ("resolved", 0.7, incidents.resolve, {"done": "Situasi dikendalikan.", "done_by": police.agency.name}),
            ):
                at += timedelta(minutes=rng.randint(3, 40))
                if rng.random() >= share or not step(at, call, actor=police, incident=incident, **extra):
                    break
                counts[name] += 1
        escalated = incidents.escalate_due(moment)
    return ", ".join(f"{n} {k}" for k, n in counts.items()) + f", {escalated} escalated at 14.00"


def complete_custody(election, rng: random.Random) -> int:
    from sinergi.logistics.custody import Reported, create_consignments, dispatch, record_handover
    from sinergi.logistics.models import Consignment

    create_consignments(actor=None, election=election)
    made = 0
    for c in Consignment.objects.filter(election=election, direction=Consignment.Direction.OUT).select_related("station__village").order_by("pk"):
        if c.state == Consignment.State.DELIVERED:
            continue  # the demo's chain already reached this KPPS
        sea = c.station.access == "laut"
        if c.state == Consignment.State.PLANNED:
            dispatch(actor=None, consignment=c, seals=[f"KLK-{c.station_id:05d}-A"], at=local(election, -3 if sea else -2, 7, 0))
            c.refresh_from_db()
        fields = {"giver_name": "Petugas logistik", "receiver_name": "Penerima", "witness_bawaslu": "PKD", "witness_police": "Bhabinkamtibmas"}
        if not c.holder.startswith("pps:"):
            record_handover(actor=None, consignment=c, from_party=c.holder, to_party=f"pps:{c.station.village_id}", place=f"Kantor Desa {c.station.village.name}",
                            handed_at=local(election, -2, rng.randint(8, 16), rng.randint(0, 59)), **fields)  # fmt: skip
            c.refresh_from_db()
            made += 1
        if c.state != Consignment.State.DELIVERED:
            reported = [Reported("kurang", "surat-suara-dpr", rng.randint(1, 5), "")] if rng.random() < 0.05 else []
            record_handover(actor=None, consignment=c, from_party=c.holder, to_party=f"kpps:{c.station_id}", place=f"TPS {c.station.number}",
                            handed_at=local(election, -1, rng.randint(8, 16), rng.randint(0, 59)), reported=reported, **fields)  # fmt: skip
            made += 1
    return made


def fill_risk(election, stations, rng: random.Random) -> tuple[int, int]:
    import guard_plan
    from django.utils import timezone

    from sinergi.risk.models import ChecklistAnswer, Indicator, StationClass
    from sinergi.risk.queries import suggestions_for_stations

    indicators = dict(Indicator.objects.filter(election=election).values_list("code", "pk"))
    have = set(ChecklistAnswer.objects.filter(station__election=election).values_list("station_id", "indicator_id"))
    filled = local(election, -20, 9, 0)
    answers = [
        ChecklistAnswer(station_id=s.pk, indicator_id=indicators[code], present=True, filled_at=filled)
        for s in stations for code, rate in guard_plan.RATES.items()
        if code in indicators and (s.pk, indicators[code]) not in have and rng.random() < rate
    ]  # fmt: skip
    ChecklistAnswer.objects.bulk_create(answers)
    chosen = [s for s in stations if rng.random() < CLASS_SHARE and not StationClass.objects.filter(station=s).exists()]
    suggested = suggestions_for_stations(election, chosen)
    StationClass.objects.bulk_create([StationClass(station=s, level=suggested[s.pk].level, reason="bench", set_at=timezone.now()) for s in chosen])
    return len(answers), len(chosen)


def build_day() -> None:
    from django.core.management import call_command
    from django.db import connection

    from sinergi.elections.models import Election
    from sinergi.stations.models import Station

    start = time.perf_counter()
    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))
    print(f"sinergi demo: {time.perf_counter() - start:.0f} s")
    election = Election.objects.get(slug="pemilu-2024")
    stations = list(Station.objects.filter(election=election).select_related("village", "election").order_by("village_id", "number"))
    rng = random.Random(SEED)
    for label, step in (
        ("Form A reports", lambda: file_reports(election, stations, rng)),
        ("incidents", lambda: file_incidents(election, stations, rng)),
        ("incidents handled", lambda: handle_incidents(election, rng)),
        ("handovers", lambda: complete_custody(election, rng)),
        ("checklist answers, police classes", lambda: fill_risk(election, stations, rng)),
    ):
        start = time.perf_counter()
        made = step()
        print(f"{label}: {made} in {time.perf_counter() - start:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def describe() -> None:
    from django.db.models import Count

    from sinergi.guard.models import GuardPost
    from sinergi.logistics.models import Consignment, Handover
    from sinergi.risk.models import ChecklistAnswer, StationClass
    from sinergi.stations.models import Station
    from sinergi.supervisors.models import Incident, Report
    from sinergi.visits.models import Visit

    e = {"election__slug": "pemilu-2024"}
    print(
        f"data: {Station.objects.filter(**e).count()} TPS; {Report.objects.filter(**e).count()} Form A reports "
        f"({Report.objects.filter(**e).values('station_id', 'stage').distinct().count()} TPS x stage); {Incident.objects.filter(**e).count()} incidents; "
        f"{Handover.objects.filter(consignment__election__slug='pemilu-2024').count()} handovers, "
        f"{Consignment.objects.filter(**e, state='diterima_kpps').count()} consignments at their KPPS; "
        f"{ChecklistAnswer.objects.filter(station__election__slug='pemilu-2024', present=True).count()} checklist answers; "
        f"{StationClass.objects.filter(station__election__slug='pemilu-2024').count()} police classes set"
    )
    states = dict(Incident.objects.filter(**e).values("state").annotate(n=Count("pk")).values_list("state", "n"))
    posts = GuardPost.objects.filter(**e, retired_at__isnull=True)
    staffed = posts.filter(check_ins__kind="hadir").distinct().count()
    print(
        f"incidents by state: {states}; {Incident.objects.filter(**e, escalated_at__isnull=False).count()} escalated; "
        f"{posts.count()} guard posts, {staffed} with an arrival; {Visit.objects.filter(**e).count()} monitoring visits"
    )


# --- timing -------------------------------------------------------------------------------------
def endpoints(user) -> list[tuple[str, str]]:
    from sinergi.accounts.permissions import Perm, can
    from sinergi.situation.layers import layers_offered

    base = "/pemilihan/pemilu-2024/situasi/"
    found = [("page", base), ("live fragment", base + "terkini/")]
    if can(user, Perm.VIEW_GUARD_PLAN):
        found.append(("guard card", base + "pengamanan/"))
    found.append(("deadline card", base + "batas-waktu/"))
    found += [(f"layer {kind}", f"{base}lapisan/{kind}.geojson") for kind, _label in layers_offered(user)]
    return [(name, f"{url}?pada={AS_OF}") for name, url in found]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


class QueryCounter(list):
    """Counts the statements a request runs (with DEBUG off Django keeps no query log)."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def time_endpoints(requests: int, warmup: int) -> list[tuple]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from sinergi.accounts.models import User

    # As bench/risk_queries.py: with DEBUG off the manifest storage needs `collectstatic` first,
    # and a page only looks its files up.
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
    rows = []
    for username in PERSONAS:
        user = User.objects.select_related("agency").get(username=username)
        client = Client()
        client.force_login(user)
        for name, url in endpoints(user):
            for _ in range(warmup):
                assert client.get(url).status_code == 200, url
            executed = QueryCounter()
            with connection.execute_wrapper(executed):
                response = client.get(url)
            assert response.status_code == 200, url
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            rows.append((username, name, statistics.median(times), percentile(times, 95), max(times), len(executed), len(response.content)))
            print(f"  {username:<18} {name:<16} p50 {rows[-1][2]:6.1f}  p95 {rows[-1][3]:6.1f}  max {rows[-1][4]:6.1f} ms  {len(executed)} queries", flush=True)
    return rows


def main() -> None:
    args = parse_args()
    wall = time.perf_counter()
    if not args.reuse:
        recreate_database(args.server)
    setup_django(args.server)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not args.reuse:
        build_day()
    describe()
    print(f"\nTiming as of {AS_OF} local time, {args.warmup} warm-up + {args.requests} timed requests per row:")
    rows = time_endpoints(args.requests, args.warmup)
    print("\n| Persona | Endpoint | p50 ms | p95 ms | max ms | queries | bytes |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for username, name, p50, p95, worst, queries, size in rows:
        print(f"| {username} | {name} | {p50:.1f} | {p95:.1f} | {worst:.1f} | {queries} | {size:,} |")
    over = [(u, n, p95) for u, n, _p50, p95, *_ in rows if p95 >= 150]
    print(f"\ngoal p95 < 150 ms: {'met on every row' if not over else 'missed on ' + ', '.join(f'{u} {n} ({p:.0f} ms)' for u, n, p in over)}")
    print(f"wall time: {time.perf_counter() - wall:.0f} s")


if __name__ == "__main__":
    main()

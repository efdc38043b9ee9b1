"""The escorted distribution plan: the hard rules on synthetic networks and on Klungkung, closing a
crossing and re-planning, the command and the page."""

import io
import json
import random
from datetime import date, datetime

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.logistics import distribution
from sinergi.logistics.distribution import CARGO, RORO, Closure, Crossing, Delivery, Escorts, Inputs, Place, Rules, VehicleGroup, make_plan
from sinergi.logistics.plan_check import violations
from sinergi.logistics.routing import Point
from sinergi.stations.demo import CROSSING_BOAT, CROSSING_RORO
from sinergi.stations.models import Station
from tests import personas

VOTING = date(2024, 2, 14)
ESCORTS = Escorts(8, 2)


def synthetic(seed: int, *, stations: int = 60, closures=(), escorts=ESCORTS) -> Inputs:
    """A warehouse, a RoRo island and a cargo-boat island, with villages scattered around."""
    rng = random.Random(seed)
    places = {
        "gudang": Place("gudang", "Gudang", Point(-8.55, 115.40)),
        "port-a": Place("port-a", "Pelabuhan A", Point(-8.54, 115.50)),
        "land-a": Place("land-a", "Dermaga A", Point(-8.68, 115.55)),
        "port-b": Place("port-b", "Dermaga B", Point(-8.56, 115.45)),
        "land-b": Place("land-b", "Dermaga B pulau", Point(-8.68, 115.45)),
    }
    crossings = {
        "A": Crossing("A", "port-a", "land-a", RORO, 60, (9 * 60, 12 * 60, 15 * 60), rng.randint(2, 5)),
        "B": Crossing("B", "port-b", "land-b", CARGO, 75, (9 * 60, 11 * 60), rng.randint(8, 20)),
    }
    vehicles = [VehicleGroup("t", "Truk", rng.randint(4, 8), rng.randint(8, 20), 30, "gudang", True), VehicleGroup("p", "Pikap", 2, 10, 20, "land-b")]
    deliveries = []
    for n in range(stations):
        where = rng.choice([None, None, "A", "B"])
        centre = {None: (-8.52, 115.40), "A": (-8.72, 115.53), "B": (-8.68, 115.44)}[where]
        village = f"{where or 'D'}{rng.randint(1, 8)}"
        lat, lon = centre[0] + rng.uniform(-0.03, 0.03), centre[1] + rng.uniform(-0.03, 0.03)
        deliveries.append(Delivery(n + 1, f"TPS {n + 1}", village, village, Point(lat, lon), where))
    return Inputs(VOTING, "gudang", places, crossings, vehicles, escorts, Rules(), deliveries, list(closures))


@settings(max_examples=12, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), stations=st.integers(1, 80), road=st.integers(1, 10), water=st.integers(0, 3))
def test_plans_keep_every_hard_rule(seed, stations, road, water):
    inputs = synthetic(seed, stations=stations, escorts=Escorts(road, water))
    plan = make_plan(inputs, iterations=150)
    assert violations(plan, inputs) == []
    delivered = plan.delivered()
    late = {e.station_id for e in plan.late}
    assert set(delivered) | late == {d.station_id for d in inputs.deliveries}
    for convoy in plan.convoys:
        assert convoy.escort  # every convoy, boats included, has its team
        if convoy.crossing and convoy.kind == "pulau" and inputs.crossings[convoy.crossing].mode == RORO:
            assert convoy.water_escort
        assert all(load <= convoy.capacity for load in convoy.trips())
    for sid, (convoy, stop) in delivered.items():
        d = next(x for x in inputs.deliveries if x.station_id == sid)
        assert (convoy.crossing or None) == d.crossing
        if d.crossing is None:
            assert convoy.day >= date(2024, 2, 13)  # the mainland from H-1
        if sid not in late:
            assert stop.arrive <= plan.deadline


@pytest.mark.parametrize("seed", range(3))
def test_a_closed_crossing_is_never_used_and_lateness_is_measured(seed):
    closures = [Closure("A", datetime(2024, 2, 11), datetime(2024, 2, 14))]  # H-3 to H-1: no ferry in time
    inputs = synthetic(seed, closures=closures)
    plan = make_plan(inputs, iterations=200)
    assert violations(plan, inputs) == []
    island = {d.station_id for d in inputs.deliveries if d.crossing == "A"}
    late = {e.station_id: e for e in plan.late}
    assert island and island <= set(late)
    for sid in island:
        entry = late[sid]
        if entry.planned is not None:  # served on voting day itself: late by the hours after the deadline
            assert entry.planned.date() == VOTING and entry.late_minutes == int((entry.planned - plan.deadline).total_seconds() // 60) > 0


def test_the_rule_checker_catches_a_broken_plan():
    inputs = synthetic(1)
    plan = make_plan(inputs, iterations=200)
    convoy = next(c for c in plan.convoys if c.kind == "darat")
    convoy.capacity = 1
    convoy.escort = ""
    plan.convoys.append(plan.convoys[0])  # the same kits handed over twice
    found = violations(plan, inputs)
    assert any("melebihi kapasitas" in v for v in found) and any("tanpa pengawalan" in v for v in found) and any("diantar 2 kali" in v for v in found)


@pytest.mark.django_db
def test_klungkung_runs_as_in_2024(klungkung_plan, pemilu):
    data = klungkung_plan
    assert data["violations"] == [] and data["late"] == [] and data["stations"] == 649
    crossing_of = dict(Station.objects.filter(election=pemilu).values_list("id", "crossing"))
    days = {}
    for convoy in data["convoys"]:
        if convoy["kind"] in ("darat", "pulau"):
            for stop in convoy["stops"]:
                for sid in stop["station_ids"]:
                    days[sid] = convoy["day"]
    assert len(days) == 649
    assert {days[sid] for sid, crossing in crossing_of.items() if crossing == CROSSING_RORO} == {"2024-02-11"}  # Nusa Penida on H-3
    assert {days[sid] for sid, crossing in crossing_of.items() if not crossing} == {"2024-02-13"}  # the mainland on H-1
    h3_trucks = {c["vehicle"] for c in data["convoys"] if c["day"] == "2024-02-11" and c["vehicle"].startswith("Truk")}
    roro = [c for c in data["convoys"] if c["crossing"] == CROSSING_RORO]
    assert len(h3_trucks) <= 13 and len(roro) >= 9  # 2024: 11 trucks, 9 over Padangbai, 2 to Kusamba
    assert all(c["water_escort"] for c in roro)
    assert any(c["kind"] == "perahu" and c["crossing"] == CROSSING_BOAT for c in data["convoys"])


@pytest.mark.django_db
def test_closing_padangbai_on_h3_moves_nusa_penida_to_h2_and_the_command_says_so(pemilu):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "logistics_plan", "--election", "pemilu-2024", "--close-crossing", CROSSING_RORO, "--from", "2024-02-11T00:00", "--to", "2024-02-12T00:00", stdout=out, stderr=err
    )
    data = json.loads(out.getvalue())
    assert data["violations"] == [] and data["late"] == []
    roro = [c for c in data["convoys"] if c["crossing"] == CROSSING_RORO]
    assert roro and {c["day"] for c in roro} == {"2024-02-12"}
    moved = {change["station_id"] for change in data["changes"]}
    assert moved >= set(Station.objects.filter(election=pemilu, crossing=CROSSING_RORO).values_list("id", flat=True))
    assert "649 dari 649 TPS terlayani; 0 terlambat" in err.getvalue()


@pytest.mark.django_db
def test_a_closure_through_h1_is_reported_late_by_the_command():
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "logistics_plan", "--election", "pemilu-2024", "--close-crossing", CROSSING_BOAT, "--from", "2024-02-10T00:00", "--to", "2024-02-14T00:00", stdout=out, stderr=err
    )
    data = json.loads(out.getvalue())
    assert len(data["late"]) == Station.objects.filter(election__slug="pemilu-2024", crossing=CROSSING_BOAT).count() == 24
    assert all(e["late_minutes"] and e["late_minutes"] > 0 for e in data["late"])
    assert "TERLAMBAT TPS" in err.getvalue()


@pytest.mark.django_db
def test_the_command_names_a_crossing_its_tps_record_but_the_network_lacks(pemilu):
    # A network loaded with a crossing named otherwise than its TPS record it leaves them unserved:
    # the command says why, not only that they are late.
    Station.objects.filter(election=pemilu, village_id="51.05.01.2010", number=17).update(crossing="Padangbai – Ped (salah ketik)")
    out, err = io.StringIO(), io.StringIO()
    call_command("logistics_plan", "--election", "pemilu-2024", stdout=out, stderr=err)
    assert "Catatan — Penyeberangan tidak dikenal dalam jaringan: Padangbai – Ped (salah ketik)." in err.getvalue()
    assert "TERLAMBAT TPS 017 Ped: tidak terlayani sebelum hari pemungutan suara" in err.getvalue()


@pytest.mark.django_db
def test_unknown_crossing_and_bad_time_are_refused_in_indonesian():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Penyeberangan 'Sanur' tidak ada. Yang ada:"):
        call_command("logistics_plan", "--election", "pemilu-2024", "--close-crossing", "Sanur", "--from", "2024-02-11T00:00", "--to", "2024-02-12T00:00")
    with pytest.raises(CommandError, match="Waktu 'besok' tidak dikenal"):
        call_command("logistics_plan", "--election", "pemilu-2024", "--close-crossing", CROSSING_RORO, "--from", "besok", "--to", "2024-02-12T00:00")


@pytest.mark.django_db
def test_the_page_kpu_plans_closes_and_sees_what_changed(client_of, klungkung_plan, pemilu, django_capture_on_commit_callbacks):
    from sinergi.audit.models import AuditEvent
    from sinergi.logistics.models import CrossingClosure, DistributionPlan

    DistributionPlan.objects.create(election=pemilu, district_id="51.05", reason="awal", data=klungkung_plan)
    bawaslu = client_of(personas.BAWASLU)
    page = bawaslu.get("/pemilihan/pemilu-2024/logistik/distribusi/")
    assert page.status_code == 200 and "1102-01" in page.text and 'data-testid="replan"' not in page.text
    assert bawaslu.post("/pemilihan/pemilu-2024/logistik/distribusi/", {"replan": "1"}).status_code == 403
    assert client_of(personas.JAKSA).get("/pemilihan/pemilu-2024/logistik/distribusi/").status_code == 403
    polsek = client_of(personas.POLSEK_NUSA_PENIDA).get("/pemilihan/pemilu-2024/logistik/distribusi/")
    assert {row["convoy"].crossing for day in polsek.context["days"] for row in day["convoys"]} <= {CROSSING_RORO, CROSSING_BOAT}
    kpu = client_of(personas.KPU)
    crossing = next(c for c in kpu.get("/pemilihan/pemilu-2024/logistik/distribusi/").context["crossings"] if c.name == CROSSING_RORO)
    with django_capture_on_commit_callbacks(execute=True):  # the re-plan is a task (tests/logistics/test_replan_jobs.py)
        queued = kpu.post(
            "/pemilihan/pemilu-2024/logistik/distribusi/",
            {"close": "1", "crossing": str(crossing.pk), "starts_at": "2024-02-11T00:00", "ends_at": "2024-02-12T00:00", "reason": "Gelombang tinggi", "confirm": "1"},
        )
    status = kpu.get(queued["Location"])
    assert "Rencana distribusi sedang disusun ulang." in status.text and 'data-status="selesai"' in status.text
    done = kpu.get("/pemilihan/pemilu-2024/logistik/distribusi/")
    closure = CrossingClosure.objects.get(crossing=crossing)
    assert closure.starts_at.isoformat() == "2024-02-10T16:00:00+00:00"  # midnight WITA
    plan = DistributionPlan.objects.filter(election=pemilu).first()
    assert plan.previous is not None and "Gelombang tinggi" in plan.reason
    assert done.context["changes"] and 'data-testid="changes"' in done.text
    assert AuditEvent.objects.filter(action="crossing.close").exists() and AuditEvent.objects.filter(action="distribution_plan.create").exists()
    bad = kpu.post("/pemilihan/pemilu-2024/logistik/distribusi/", {"close": "1", "crossing": str(crossing.pk), "starts_at": "2024-02-12T00:00", "ends_at": "2024-02-11T00:00", "reason": "x"})
    assert bad.status_code == 200 and "Waktu selesai harus setelah waktu mulai." in bad.text
    assert CrossingClosure.objects.filter(crossing=crossing).count() == 1


def test_the_solver_module_is_the_only_one_importing_pyvrp():
    from pathlib import Path

    root = Path(distribution.__file__).resolve().parents[1]
    importers = sorted(str(p.relative_to(root)) for p in root.rglob("*.py") if "pyvrp" in p.read_text(encoding="utf-8"))
    assert importers == ["logistics/routing.py"]


def test_an_imported_travel_time_replaces_the_estimate():
    inputs = synthetic(2)
    warehouse, port = inputs.places["gudang"].point, inputs.places["port-a"].point
    estimate = distribution.routing.travel(warehouse, port, 30, 1.3, {})
    slow = {("gudang", "port-a"): estimate + 120}
    from dataclasses import replace

    warehouse_ref = replace(inputs.places["gudang"], point=replace(warehouse, ref="gudang"))
    port_ref = replace(inputs.places["port-a"], point=replace(port, ref="port-a"))
    places = {**inputs.places, "gudang": warehouse_ref, "port-a": port_ref}
    base = make_plan(replace(inputs, places=places), iterations=100)
    slowed = make_plan(replace(inputs, places=places, travel_minutes=slow), iterations=100)

    def leave(plan):
        return min(c.stops[0].depart for c in plan.convoys if c.crossing == "A" and c.departure)

    def depart(plan):
        return min(c.departure for c in plan.convoys if c.crossing == "A" and c.departure)

    # The ferry is the same; the trucks leave the warehouse two hours earlier for it, or take a later one.
    assert (depart(slowed) - leave(slowed)) - (depart(base) - leave(base)) == (datetime(2024, 1, 1, 2) - datetime(2024, 1, 1, 0))


@pytest.mark.django_db
def test_travel_times_import_all_or_nothing_with_row_errors(client_of, pemilu):
    from sinergi.logistics.models import TravelTime

    out, err = io.StringIO(), io.StringIO()
    bad = io.BytesIO(b"dari,ke,menit\ngudang-swecapura,padangbai,35\nmars,padangbai,10\ngudang-swecapura,51.05.01.2010,abc\ngudang-swecapura,padangbai,40\n")
    bad.name = "waktu.csv"
    page = client_of(personas.KPU).post("/pemilihan/pemilu-2024/logistik/distribusi/", {"travel": "1", "file": bad})
    assert page.status_code == 400
    errors = page.context["travel_errors"]
    assert errors[0].startswith("Baris 3, kolom 'dari': 'mars' bukan kode tempat jaringan")
    assert errors[1] == "Baris 4, kolom 'menit': Waktu tempuh 'abc' harus bilangan bulat menit antara 1 dan 1440."
    assert errors[2] == "Baris 5, kolom 'ke': Pasangan gudang-swecapura → padangbai muncul dua kali (juga di baris 2)."
    assert not TravelTime.objects.exists()
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "waktu.csv"
    path.write_text("dari,ke,menit\ngudang-swecapura,padangbai,35\npadangbai,gudang-swecapura,35\n", encoding="utf-8")
    call_command("import_travel_times", "--election", "pemilu-2024", str(path), stdout=out, stderr=err)
    assert out.getvalue().strip() == "2 waktu tempuh; 2 pasangan berubah."
    call_command("import_travel_times", "--election", "pemilu-2024", str(path), stdout=out)
    assert out.getvalue().strip().endswith("2 waktu tempuh; 0 pasangan berubah.")
    assert client_of(personas.BAWASLU).post("/pemilihan/pemilu-2024/logistik/distribusi/", {"travel": "1", "file": io.BytesIO(b"x")}).status_code == 403

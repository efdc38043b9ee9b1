"""Two districts in one election (issue 16): Klungkung and an invented second Bali district, each
with its own KPU warehouse, network and island, planned side by side. Before, the second
district's TPS were pulled into Klungkung's plan (and the other way round) and pushed to voting
day. Now each is planned from its own network, nothing is late, and each district's people see
only theirs while a province account sees both."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from sinergi.accounts.models import Agency, User
from sinergi.accounts.services import ensure_agency, ensure_user
from sinergi.logistics.demo import seed_network
from sinergi.logistics.models import DistributionPlan, Place
from sinergi.logistics.stored_plan import read_plan
from sinergi.stations.models import Station
from tests import personas

CONTOH = Path(__file__).resolve().parents[1] / "fixtures" / "contoh"
SECOND = "51.19"  # the guide's Kabupaten Contoh (99.01), moved into Bali (an unused kabupaten code) for this test


def _moved(name: str, tmp_path: Path) -> Path:
    """A copy of the guide's file with Kabupaten Contoh's codes moved to 51.19 (province Bali)."""
    text = (CONTOH / name).read_text(encoding="utf-8").replace("99.01", SECOND)
    if name == "wilayah.csv":
        text = "\n".join(line for line in text.splitlines() if not line.startswith("99,")) + "\n"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def two_districts(pemilu, tmp_path):
    call_command("load_regions", str(_moved("wilayah.csv", tmp_path)), str(_moved("desa.geojson", tmp_path)), stdout=StringIO())
    call_command("import_stations", "--election", pemilu.slug, str(_moved("tps.csv", tmp_path)), stdout=StringIO())
    seed_network(pemilu)  # Klungkung's
    call_command("network", "--election", pemilu.slug, "--district", SECOND, "--load", str(CONTOH / "jaringan.json"), stdout=StringIO())
    return pemilu


def _account(username: str, kind: str, region: str) -> str:
    agency = ensure_agency(actor=None, slug=username, kind=kind, name=username, region_code=region)
    ensure_user(actor=None, username=username, agency=agency, role=User.Role.ADMIN, full_name=username, password=personas.PASSWORD)
    return username


def _plan(election, district: str) -> dict:
    err = StringIO()
    call_command("logistics_plan", "--election", election.slug, "--district", district, "--save", stdout=StringIO(), stderr=err)
    return DistributionPlan.objects.filter(election=election, district_id=district).first().data


def test_each_district_is_planned_from_its_own_network_and_nothing_is_late(two_districts):
    pemilu = two_districts
    klungkung, contoh = _plan(pemilu, "51.05"), _plan(pemilu, SECOND)
    counts = {code: Station.objects.filter(election=pemilu, village__code__startswith=code + ".").count() for code in ("51.05", SECOND)}
    assert counts == {"51.05": 649, SECOND: 40}
    for data, code in ((klungkung, "51.05"), (contoh, SECOND)):
        plan = read_plan(data, data["time_zone"])
        assert (data["district"], plan.stations, plan.late, plan.violations) == (code, counts[code], (), ())
        delivered = set(plan.deliveries())
        # Every TPS of the district served, and not one of the other district's.
        assert delivered == set(Station.objects.filter(election=pemilu, village__code__startswith=code + ".").values_list("pk", flat=True))
    contoh_plan = read_plan(contoh, contoh["time_zone"])
    # The island of the second district is reached over its own crossing from its own warehouse.
    assert {c.crossing for c in contoh_plan.convoys if c.crossing} == {"Tanjung – Karang Baru (kapal RoRo)"}
    assert {c.stops[0].place for c in contoh_plan.convoys} == {"Gudang logistik KPU Kabupaten Contoh"}
    assert Place.objects.filter(election=pemilu, kind=Place.Kind.WAREHOUSE).count() == 2


def test_each_district_sees_only_its_own_and_a_province_account_sees_both(two_districts, client_of):
    pemilu = two_districts
    _plan(pemilu, "51.05"), _plan(pemilu, SECOND)
    kpu_contoh = _account("kpu.contoh", Agency.Kind.KPU, SECOND)
    province = _account("kpu.prov.bali", Agency.Kind.KPU_PROVINSI, "51")
    page = "/pemilihan/pemilu-2024/logistik/distribusi/"

    klungkung_page = client_of(personas.KPU).get(page).text
    assert "Gudang logistik KPU Kabupaten Contoh" not in klungkung_page and "Padangbai" in klungkung_page
    assert client_of(personas.KPU).get(page + f"?kabupaten={SECOND}").status_code == 404
    contoh_page = client_of(kpu_contoh).get(page).text
    assert "Gudang logistik KPU Kabupaten Contoh" in contoh_page and "Padangbai" not in contoh_page
    assert client_of(kpu_contoh).get(page + "?kabupaten=51.05").status_code == 404
    # Another district's network cannot be read or changed either.
    assert client_of(kpu_contoh).get("/pemilihan/pemilu-2024/logistik/jaringan/?kabupaten=51.05").status_code == 404
    assert client_of(personas.KPU).get("/pemilihan/pemilu-2024/logistik/jaringan/").status_code == 200

    bali = client_of(province)
    chooser = bali.get(page).text
    assert 'data-testid="district-choices"' in chooser and f"?kabupaten={SECOND}" in chooser and "?kabupaten=51.05" in chooser
    assert "Padangbai" in bali.get(page + "?kabupaten=51.05").text
    assert "Gudang logistik KPU Kabupaten Contoh" in bali.get(page + f"?kabupaten={SECOND}").text
    # The delivery layer of the map holds both districts' TPS for the province, one for each district.
    layer = json.loads(bali.get(page + "peta.json").content)
    contoh_ids = set(Station.objects.filter(election=pemilu, village__code__startswith=SECOND + ".").values_list("pk", flat=True))
    assert len(layer) == 649 + 40 and contoh_ids <= {int(k) for k in layer}
    assert not contoh_ids & {int(k) for k in json.loads(client_of(personas.KPU).get(page + "peta.json").content)}


def test_a_plan_with_a_district_unreachable_says_why_its_tps_go_unserved(two_districts):
    """The second district's RoRo leaves before its trucks can load and reach the port: its island
    TPS are unserved, each with the reason, and Klungkung's plan is untouched."""
    pemilu = two_districts
    document = json.loads((CONTOH / "jaringan.json").read_text(encoding="utf-8"))
    document["penyeberangan"][0]["berangkat"] = ["06:00"]
    path = Path(pemilu.slug + "-contoh.json")
    try:
        path.write_text(json.dumps(document), encoding="utf-8")
        call_command("network", "--election", pemilu.slug, "--district", SECOND, "--load", str(path), stdout=StringIO())
    finally:
        path.unlink()
    data = _plan(pemilu, SECOND)
    unserved = [e for e in data["late"] if e["planned"] is None]
    island = Station.objects.filter(election=pemilu, village__code__startswith=f"{SECOND}.03.").count()
    assert len(unserved) == island > 0
    assert all(e["reason"].startswith("tidak ada keberangkatan Tanjung – Karang Baru (kapal RoRo) yang terkejar setelah pemuatan") for e in unserved)
    assert read_plan(_plan(pemilu, "51.05"), "Asia/Makassar").late == ()


def test_the_command_asks_which_district_when_the_election_holds_several(two_districts):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="beberapa kabupaten/kota; sebutkan salah satu"):
        call_command("logistics_plan", "--election", two_districts.slug, stdout=StringIO(), stderr=StringIO())


def test_a_second_warehouse_in_one_district_is_refused_at_load_and_one_per_district_is_not(two_districts, tmp_path):
    from django.core.management.base import CommandError

    from sinergi.logistics.network import export_network
    from sinergi.regions.models import Region

    second = Region.objects.get(code=SECOND)
    before = export_network(two_districts, second)
    document = json.loads((CONTOH / "jaringan.json").read_text(encoding="utf-8"))
    document["tempat"].append({"kode": "gudang-kedua", "nama": "Gudang kedua", "jenis": "gudang", "lintang": -7.0, "bujur": 118.0})
    path = tmp_path / "dua-gudang.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="jaringan tidak diubah"):
        call_command("network", "--election", two_districts.slug, "--district", SECOND, "--load", str(path), stdout=StringIO(), stderr=err)
    assert "tempat: hanya satu gudang KPU (jenis 'gudang') per kabupaten/kota yang dipakai rencana; ada 2: gudang-kpu-contoh, gudang-kedua." in err.getvalue()
    assert export_network(two_districts, second) == before
    # Klungkung's own warehouse beside the second district's: one each, both in use.
    assert sorted(Place.objects.filter(election=two_districts, kind=Place.Kind.WAREHOUSE).values_list("district_id", flat=True)) == ["51.05", SECOND]

"""The distribution network as a document: export, load, round trip, every error named."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from sinergi.audit.models import AuditEvent
from sinergi.logistics.demo import NETWORK
from sinergi.logistics.models import Crossing, PlanSettings, VehicleGroup
from sinergi.logistics.network import export_network, load_network
from sinergi.stations.demo import CROSSING_BOAT, CROSSING_RORO
from tests import personas


def demo_document() -> dict:
    return json.loads(NETWORK.read_text(encoding="utf-8"))


def test_the_demo_network_serves_the_demo_tps_crossings():
    assert {c["nama"] for c in demo_document()["penyeberangan"]} == {CROSSING_RORO, CROSSING_BOAT}


@pytest.mark.django_db
def test_export_then_load_changes_nothing(pemilu):
    from sinergi.logistics.demo import seed_network

    seed_network(pemilu)
    document = export_network(pemilu)
    assert document == demo_document()
    events = AuditEvent.objects.count()
    load_network(actor=None, election=pemilu, document=document)
    assert AuditEvent.objects.count() == events and export_network(pemilu) == document


@pytest.mark.django_db
def test_every_error_is_named_and_nothing_is_written(pemilu):
    from sinergi.logistics.demo import seed_network

    seed_network(pemilu)
    before = export_network(pemilu)
    bad = demo_document()
    bad["tempat"][0]["lintang"] = 40.0
    bad["tempat"][1]["jenis"] = "bandara"
    bad["penyeberangan"][0]["berangkat"] = ["9 pagi"]
    bad["penyeberangan"][1]["dari"] = "sanur"
    bad["kendaraan"][0]["kapasitas"] = 0
    bad["aturan"]["jam_mulai"] = "25:00"
    bad["aturan"]["hujan"] = True
    with pytest.raises(ValidationError) as raised:
        load_network(actor=None, election=pemilu, document=bad)
    messages = raised.value.messages
    assert "tempat[0]: lintang/bujur harus angka di wilayah Indonesia." in messages
    assert any(m.startswith("tempat[1].jenis: 'bandara' tidak dikenal") for m in messages)
    assert "penyeberangan[0].berangkat: '9 pagi' bukan jam JJ:MM (00:00–23:59); tulis seperti \"09:00\"." in messages
    assert "penyeberangan[1].dari: 'sanur' bukan kode tempat di bagian tempat." in messages
    assert "kendaraan[0].kapasitas: isi bilangan bulat 1–10000." in messages
    assert 'aturan.jam_mulai: jam seperti "07:00".' in messages
    assert any(m.startswith("aturan.hujan: tidak dikenal") for m in messages)
    assert export_network(pemilu) == before


@pytest.mark.django_db
def test_loading_replaces_the_network_and_the_plan_uses_it(user_of, pemilu):
    from sinergi.logistics.demo import seed_network
    from sinergi.logistics.plans import inputs_for
    from sinergi.regions.models import Region
    from sinergi.stations.models import Station

    seed_network(pemilu)
    document = demo_document()
    document["kendaraan"] = [v for v in document["kendaraan"] if v["jenis"] == "truk"]
    document["kendaraan"][0]["jumlah"] = 30
    document["penyeberangan"] = [c for c in document["penyeberangan"] if c["moda"] == "roro"]
    document["aturan"]["tim_kawal_darat"] = 40
    with pytest.raises(PermissionDenied):
        load_network(actor=user_of(personas.BAWASLU), election=pemilu, document=document)
    load_network(actor=user_of(personas.KPU), election=pemilu, document=document)
    assert list(VehicleGroup.objects.filter(election=pemilu).values_list("name", "count")) == [("Truk", 30)]
    assert list(Crossing.objects.filter(election=pemilu).values_list("name", flat=True)) == [CROSSING_RORO]
    assert PlanSettings.objects.get(election=pemilu).road_escorts == 40
    inputs = inputs_for(pemilu, Region.objects.get(code="51.05"), Station.objects.filter(election=pemilu))
    assert (inputs.escorts.road, [v.count for v in inputs.vehicles]) == (40, [30])
    assert AuditEvent.objects.filter(action="network.load").latest("id").actor_username == personas.KPU


@pytest.mark.django_db
def test_the_command_exports_and_loads(tmp_path, pemilu):
    from sinergi.logistics.demo import seed_network

    seed_network(pemilu)
    path = tmp_path / "jaringan.json"
    call_command("network", "--election", "pemilu-2024", "--export", str(path))
    assert json.loads(path.read_text(encoding="utf-8")) == demo_document()
    out = io.StringIO()
    call_command("network", "--election", "pemilu-2024", "--load", str(path), stdout=out)
    assert out.getvalue().strip() == "5 tempat, 2 penyeberangan, 2 kendaraan."
    path.write_text("{bukan json", encoding="utf-8")
    with pytest.raises(CommandError, match="tidak dapat dibaca sebagai JSON"):
        call_command("network", "--election", "pemilu-2024", "--load", str(path))


@pytest.mark.django_db
def test_the_command_warns_of_sea_tps_whose_crossing_the_network_lacks(tmp_path, pemilu):
    document = demo_document()
    boat = next(c for c in document["penyeberangan"] if c["nama"] == CROSSING_BOAT)
    boat["nama"] = "Kusamba – Lembongan"  # not as the 24 Lembongan and Ceningan TPS record it
    path = tmp_path / "jaringan.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("network", "--election", "pemilu-2024", "--load", str(path), stdout=out, stderr=err)
    assert out.getvalue().strip() == "5 tempat, 2 penyeberangan, 2 kendaraan."  # loaded all the same: the TPS file may be the wrong one
    assert err.getvalue().strip() == (
        f"Peringatan — 24 TPS laut mencatat penyeberangan '{CROSSING_BOAT}', yang tidak ada di jaringan: rencana distribusi tidak dapat "
        "melayaninya. Samakan nama penyeberangan di jaringan dengan kolom 'penyeberangan' TPS."
    )
    path.write_text(json.dumps(demo_document()), encoding="utf-8")
    err = io.StringIO()
    call_command("network", "--election", "pemilu-2024", "--load", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""

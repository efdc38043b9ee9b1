"""`sinergi demo`: the Klungkung figures, idempotent."""

import csv
import io

import pytest
from django.core.management import call_command

from sinergi.audit.models import AuditEvent
from sinergi.stations.models import Station


def export(election: str) -> list[dict]:
    out = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(out):
        call_command("export_stations", "--election", election, "--format", "csv")
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.django_db
def test_pemilu_2024_export_has_the_published_figures():
    rows = export("pemilu-2024")
    assert len(rows) == 649
    assert sum(1 for r in rows if r["kode_kecamatan"] == "51.05.01") == 198
    assert sum(int(r["pemilih"]) for r in rows) == 167_052
    assert max(int(r["pemilih"]) for r in rows) <= 300
    assert {r["koordinat_perkiraan"] for r in rows} == {"ya"}
    ped = {int(r["nomor_tps"]): r for r in rows if r["kode_desa"] == "51.05.01.2010"}
    assert ped[17]["lokasi"] == ped[18]["lokasi"] == "Bale Banjar Sental Kangin, Desa Ped"
    assert {r["akses"] for r in rows if r["kode_kecamatan"] == "51.05.01"} == {"laut"}
    assert {r["akses"] for r in rows if r["kode_kecamatan"] != "51.05.01"} == {"darat"}


@pytest.mark.django_db
def test_pilkada_2024_export_has_the_published_figures():
    rows = export("pilkada-2024")
    assert len(rows) == 335
    assert sum(int(r["pemilih"]) for r in rows) == 168_793
    assert max(int(r["pemilih"]) for r in rows) <= 600


@pytest.mark.django_db
def test_running_the_demo_again_changes_nothing():
    from sinergi.logistics.models import Consignment, DistributionPlan, Handover

    # The suite's base data has no distribution plan nor custody records: the first `demo` of
    # this database makes them, once; the second changes nothing.
    call_command("demo", stdout=io.StringIO())
    plans, handovers = DistributionPlan.objects.count(), Handover.objects.count()
    assert plans == 1 and handovers > 0 and Consignment.objects.count() == 649
    stations = list(Station.objects.order_by("pk").values())
    events = AuditEvent.objects.count()
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "TPS pemilu-2024: 0 TPS baru, 0 diperbarui, 649 tidak berubah." in out.getvalue()
    assert "sinergi-demo" in out.getvalue() and "polsek-nusapenida" in out.getvalue()
    assert list(Station.objects.order_by("pk").values()) == stations
    # Only the two import summaries are logged; nothing else changed.
    assert AuditEvent.objects.count() == events + 2
    assert (DistributionPlan.objects.count(), Handover.objects.count()) == (plans, handovers)


@pytest.mark.django_db
def test_export_then_import_is_a_round_trip(tmp_path):
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"tps.{fmt}"
        call_command("export_stations", "--election", "pemilu-2024", "--format", fmt, "--output", str(path), stderr=io.StringIO())
        out = io.StringIO()
        call_command("import_stations", "--election", "pemilu-2024", str(path), stdout=out, stderr=io.StringIO())
        assert out.getvalue().strip() == "0 TPS baru, 0 diperbarui, 649 tidak berubah. Tidak ada perubahan.", fmt

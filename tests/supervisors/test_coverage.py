"""The voting-day coverage board over the demo's simulated reports, and incidents."""

import io
import uuid
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError

from sinergi.stations.models import Station
from sinergi.supervisors.coverage import coverage_for
from sinergi.supervisors.models import Incident, Report
from sinergi.supervisors.reports import submit_incident
from tests import personas


@pytest.mark.django_db
def test_the_demo_day_shows_progress_gaps_and_incidents(client_of, user_of, pemilu):
    page = client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/pengawasan/")
    coverage = page.context["coverage"]
    reported = Report.objects.filter(election=pemilu, stage="persiapan").values("station_id").distinct().count()
    assert len(coverage.reported) == reported and 500 < reported < 649
    assert "Keadaan per 14 Feb 2024" in page.text
    assert len(coverage.missing) == 649 - reported  # the preparation was due at 07.30
    assert [i.severity for i in coverage.incidents][:1] == ["tinggi"] and "sanksi adat" in page.text
    at_seven = coverage_for(user_of(personas.BAWASLU), pemilu, "persiapan", datetime.fromisoformat("2024-02-14T07:00:00+08:00"))
    assert len(at_seven.reported) < reported and at_seven.missing == []  # not yet due
    counting = client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/pengawasan/?tahap=penghitungan").context["coverage"]
    assert 0 < len(counting.reported) < reported and counting.missing == []  # counting is due at 21.00


@pytest.mark.django_db
def test_the_board_refreshes_as_a_fragment_and_is_scoped(client_of):
    fragment = client_of(personas.PANWASCAM_NUSA_PENIDA).get("/pemilihan/pemilu-2024/pengawasan/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and fragment.text.lstrip().startswith('<div id="coverage-board"') and "<html" not in fragment.text
    assert fragment.context["coverage"].total == 198
    for username in (personas.KPU, personas.JAKSA):  # the police read it (tests/supervisors/test_police_read.py)
        assert client_of(username).get("/pemilihan/pemilu-2024/pengawasan/").status_code == 403
    layer = client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/pengawasan/peta.json").json()
    assert len(layer) == 649 and any(v["incidents"] for v in layer.values())


@pytest.mark.django_db
def test_the_excel_export_has_a_sheet_per_stage_and_the_incidents(client_of):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/pengawasan/laporan.xlsx").content))
    assert book.sheetnames == ["Persiapan pemungutan suara", "Pemungutan suara", "Penghitungan suara", "Pengiriman hasil", "Kejadian"]
    assert book["Persiapan pemungutan suara"].max_row == 650 and book["Kejadian"].max_row == 6  # the demo's five incidents (docs/incidents.md: the escalated one at Jungutbatu)


@pytest.mark.django_db
def test_an_incident_is_idempotent_and_validated(user_of, pemilu):
    station = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=2)
    staff = user_of(personas.BAWASLU_STAFF)
    client_id = uuid.uuid4()
    when = datetime.fromisoformat("2024-02-14T10:00:00+08:00")
    first, created = submit_incident(
        actor=staff, station=station, client_id=client_id, category="politik_uang", severity="tinggi", occurred_at=when, description="Pembagian amplop"
    )
    again, created_again = submit_incident(
        actor=staff, station=station, client_id=client_id, category="politik_uang", severity="tinggi", occurred_at=when, description="Pembagian amplop"
    )
    assert created and not created_again and first.pk == again.pk
    assert Incident.objects.filter(client_id=client_id).count() == 1
    with pytest.raises(ValidationError) as raised:
        submit_incident(actor=staff, station=station, client_id=uuid.uuid4(), category="gosip", severity="parah", occurred_at=when, description=" ")
    assert len(raised.value.messages) == 3

"""The official LHP numbers run without gaps per district and year, whatever ids the database
handed out (retries, races, rolled-back writes); they are given when a report is chained into the
audit trail. A report id sent again with other content is refused with 409 naming what differs."""

import json
import uuid

import pytest
from django.db import connection, transaction
from django.test import Client

from sinergi.supervisors.models import Incident, Report
from sinergi.supervisors.reports import submit_report
from tests import personas
from tests.api.test_api import token_for
from tests.supervisors.registers import gap_free, seal_with_two_sealers, serials_of
from tests.supervisors.test_reports import opening, post


def serial(number: str) -> int:
    return int(number.split("/", 1)[0])


@pytest.mark.django_db
def test_numbers_run_without_gaps_per_district_and_year(ptps, ped17):
    token = token_for(personas.PTPS_PED)
    first = post(token, opening(ped17)).json()["number"]
    # What leaves holes in a table's ids: a write rolled back after its INSERT, a repeat that
    # collides with the stored id (on PostgreSQL both use up a sequence value).
    with pytest.raises(RuntimeError), transaction.atomic():
        submit_report(actor=ptps, station=ped17, stage="persiapan", client_id=uuid.uuid4(), answers=opening(ped17)["answers"], narrative="", observed_at="2024-02-14T08:00+08:00")
        raise RuntimeError("rolled back")
    again = opening(ped17)
    post(token, again)
    assert post(token, again).status_code == 200
    third = Report.objects.select_related("station", "election").get(client_id=again["client_id"]).number
    assert serial(third) == serial(first) + 1 and third.endswith("/LHP/PM.01.03/51.05/02/2024")
    # A new year starts the register again at 1.
    next_year = post(token, {**opening(ped17), "observed_at": "2025-01-02T07:00:00+08:00"}).json()["number"]
    assert next_year == "00001/LHP/PM.01.03/51.05/01/2025"
    assert gap_free("51.05/2024")


def send_batch(token, reports):
    return Client().post("/api/v1/reports/batch", json.dumps({"reports": reports}), content_type="application/json", headers={"Authorization": f"Bearer {token}"})


@pytest.mark.django_db
def test_a_report_id_sent_again_with_other_content_is_409_naming_the_fields(ptps, ped17):
    token = token_for(personas.PTPS_PED)
    payload = opening(ped17)
    assert post(token, payload).status_code == 201
    assert post(token, {**payload, "narrative": " TPS dibuka tertib. "}).status_code == 200  # the same report, spaces aside
    changed = post(token, {**payload, "answers": {**payload["answers"], "kpps_hadir": 5}, "narrative": "Lain."})
    assert changed.status_code == 409
    assert changed.json()["fields"] == ["answers", "narrative"]
    assert "jawaban (answers)" in changed.json()["detail"] and "uraian (narrative)" in changed.json()["detail"]
    later = post(token, {**payload, "observed_at": "2024-02-14T07:30:00+08:00"})
    assert later.status_code == 409 and later.json()["fields"] == ["observed_at"]
    # The same in a batch: that item only.
    fresh = opening(ped17)
    items = send_batch(token, [fresh, {**payload, "stage": "pemungutan", "answers": {"dibuka_tepat_waktu": True, "saksi_hadir": 2, "pemilih_tidak_berhak": False, "intimidasi": False}}]).json()
    assert [i["status"] for i in items] == [201, 409]
    assert items[1]["fields"] == ["stage", "answers"] and "tahap (stage)" in items[1]["detail"][0]
    assert Report.objects.get(client_id=payload["client_id"]).answers["kpps_hadir"] == 7


@pytest.mark.django_db
def test_an_incident_id_sent_again_with_other_content_is_409_naming_the_fields(ptps, ped17):
    token = token_for(personas.PTPS_PED)
    payload = {"client_id": str(uuid.uuid4()), "station_id": ped17.pk, "category": "intimidasi", "severity": "tinggi", "occurred_at": "2024-02-14T09:15:00+08:00", "description": "Penghadangan pemilih."}

    def send(body):
        return Client().post("/api/v1/reports/incidents", json.dumps(body), content_type="application/json", headers={"Authorization": f"Bearer {token}"})

    assert send(payload).status_code == 201
    assert send(payload).status_code == 200
    changed = send({**payload, "severity": "sedang", "description": "Lain."})
    assert changed.status_code == 409 and changed.json()["fields"] == ["severity", "description"]
    assert "tingkat (severity)" in changed.json()["detail"]
    assert Incident.objects.get(client_id=payload["client_id"]).severity == "tinggi"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer on one database lock: nothing to race")
@pytest.mark.django_db(transaction=True)
def test_two_sealers_at_once_number_every_report_once_without_gaps():
    """Two processes sealing at the same moment (PostgreSQL: each in its own connection). SQLite
    takes one writer at a time for the whole database, so there is nothing to race there."""
    from datetime import UTC, datetime

    from sinergi.audit.models import AuditEvent
    from sinergi.audit.queries import verify_chain
    from sinergi.elections.models import Election
    from sinergi.elections.services import install_preset
    from sinergi.regions import demo as regions_demo
    from sinergi.stations import demo as stations_demo
    from sinergi.stations.models import Station
    from sinergi.supervisors.inserts import insert_many

    if not Election.objects.filter(slug="pemilu-2024").exists():  # transactional tests start from a flushed database
        regions_demo.load_klungkung()
        install_preset(actor=None, slug="pemilu-2024")
        stations_demo.seed(Election.objects.get(slug="pemilu-2024"), regions_demo.KLUNGKUNG_CODE)
    election = Election.objects.get(slug="pemilu-2024")
    stations = list(Station.objects.filter(election=election).order_by("pk")[:50])
    observed = datetime(2024, 2, 14, 1, 0, tzinfo=UTC)
    before = Report.objects.filter(register="51.05/2024").count()
    events_before = AuditEvent.objects.filter(action="report.file").count()
    with transaction.atomic():
        insert_many([Report(election=election, station=stations[n % 50], stage="persiapan", client_id=uuid.uuid4(), answers={}, observed_at=observed, via="api") for n in range(3000)])
    assert seal_with_two_sealers(batch=500) == []
    assert len(serials_of("51.05/2024")) == before + 3000 and gap_free("51.05/2024")
    assert not Report.objects.filter(audited=False).exists()
    # Each chained once: the numbers and the events come from one sealing.
    assert AuditEvent.objects.filter(action="report.file").count() == events_before + 3000
    assert verify_chain() is None

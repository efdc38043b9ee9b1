"""Voting-day intake is chained per district (audit partitions, supervisors/sealing.py): each
district's reports go to its own chain and register, sealers of different districts do not wait
for each other, the numbers stay gap-free per register, and sealing can leave the request path for
a sealer process of its own (`seal-intake --follow`, AUDIT_SEAL_IN_REQUEST off)."""

import io
import os
import signal
import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from sinergi.audit.models import AuditEvent, AuditHead
from sinergi.audit.queries import verify_chain
from sinergi.supervisors import sealing
from sinergi.supervisors.inserts import insert_many
from sinergi.supervisors.models import Incident, Report
from tests import personas
from tests.api.test_api import token_for
from tests.audit.districts import DENPASAR, denpasar_station
from tests.supervisors.registers import gap_free, seal_with_two_sealers
from tests.supervisors.test_reports import opening, post

OBSERVED = datetime(2024, 2, 14, 1, 0, tzinfo=UTC)


def store(election, station, count: int) -> None:
    with transaction.atomic():
        insert_many([Report(election=election, station=station, stage="persiapan", client_id=uuid.uuid4(), answers={}, observed_at=OBSERVED, via="api") for _ in range(count)])


@pytest.mark.django_db
def test_each_districts_reports_go_to_its_own_partition_and_register(pemilu, ped17):
    sealing.seal_pending()
    sesetan = denpasar_station(pemilu)
    store(pemilu, ped17, 5)
    store(pemilu, sesetan, 3)
    # Klungkung's five rows came first: a Denpasar sealer still finds its own behind them.
    assert sealing.districts_waiting(look=5) == ["51.05"] and sealing.districts_waiting([DENPASAR], look=5) == [DENPASAR]
    Incident.objects.create(election=pemilu, station=sesetan, client_id=uuid.uuid4(), category="lainnya", severity="rendah", occurred_at=OBSERVED, description="Uji.", via="api")
    assert sealing.districts_waiting() == ["51.05", DENPASAR]
    assert sealing.districts_waiting(["51.71.01"]) == [DENPASAR] and sealing.districts_waiting(["52"]) == []
    assert sealing.seal_pending() == 9
    filed = AuditEvent.objects.filter(action__in=["report.file", "incident.file"], object_id__in=[str(pk) for pk in Report.objects.values_list("pk", flat=True)] + [str(pk) for pk in Incident.objects.values_list("pk", flat=True)])
    assert set(filed.filter(region__startswith="51.71.").values_list("partition", flat=True)) == {DENPASAR}
    assert set(filed.filter(region__startswith="51.05.").values_list("partition", flat=True)) == {"51.05"}
    assert Report.objects.filter(register="51.71/2024").count() == 3 and gap_free("51.71/2024") and gap_free("51.05/2024")
    assert AuditHead.objects.get(partition=DENPASAR).count == AuditEvent.objects.filter(partition=DENPASAR).count()
    assert verify_chain() is None


@pytest.mark.django_db
def test_with_sealing_out_of_requests_a_report_waits_for_the_sealer_process(ptps, ped17):
    token = token_for(personas.PTPS_PED)
    sealing.seal_pending()
    with override_settings(AUDIT_SEAL_IN_REQUEST=False, AUDIT_SEAL_INTERVAL=0):
        answer = post(token, opening(ped17))
    assert answer.status_code == 201 and not answer.json()["number"]  # stored and answered, not chained
    report = Report.objects.get(client_id=answer.json()["client_id"])
    assert not report.audited
    # The sealer of its own: `seal-intake --follow` until SIGTERM (sent here after a moment).
    stop = threading.Timer(1.0, os.kill, [os.getpid(), signal.SIGTERM])
    stop.start()
    out = io.StringIO()
    started = time.monotonic()
    call_command("seal_intake", "--follow", "--interval", "0.1", stdout=out)
    assert time.monotonic() - started < 10
    assert "Penyegel berhenti: 1 laporan/kejadian dirantai." in out.getvalue()
    report.refresh_from_db()
    assert report.audited and report.serial is not None
    assert AuditEvent.objects.get(action="report.file", object_id=str(report.pk)).partition == "51.05"
    assert signal.getsignal(signal.SIGTERM) is not None  # the previous handler is back (the test is still alive)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer on one database lock: nothing to run in parallel")
@pytest.mark.django_db(transaction=True)
def test_two_districts_are_sealed_at_once_and_numbered_without_gaps():
    """Real transactions, each sealer in its own connection (PostgreSQL): while one sealer holds
    Klungkung's chain, another chains Denpasar's reports without waiting, and skips Klungkung; then
    two sealers race over both districts and every report is chained once, numbered without gaps."""
    from django.db import connections

    from sinergi.elections.models import Election
    from sinergi.elections.services import install_preset
    from sinergi.regions import demo as regions_demo
    from sinergi.stations import demo as stations_demo
    from sinergi.stations.models import Station

    if not Election.objects.filter(slug="pemilu-2024").exists():  # transactional tests start from a flushed database
        regions_demo.load_klungkung()
        install_preset(actor=None, slug="pemilu-2024")
        stations_demo.seed(Election.objects.get(slug="pemilu-2024"), regions_demo.KLUNGKUNG_CODE)
    election = Election.objects.get(slug="pemilu-2024")
    sesetan = denpasar_station(election)
    ped = Station.objects.filter(election=election).exclude(pk=sesetan.pk).order_by("pk").first()
    sealing.seal_pending()
    store(election, ped, 600)
    store(election, sesetan, 600)

    held, release, errors = threading.Event(), threading.Event(), []

    def hold_klungkung():
        try:
            with transaction.atomic():
                from sinergi.audit.services import lock_heads

                lock_heads(["51.05"])
                held.set()
                release.wait(30)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_klungkung)
    holder.start()
    try:
        assert held.wait(10)
        started = time.monotonic()
        sealed = sealing.seal_pending(wait=False)
        elapsed = time.monotonic() - started
    finally:
        release.set()
        holder.join(60)
    assert errors == []
    assert sealed == 600 and elapsed < 20  # Denpasar's only, without waiting for Klungkung's holder
    assert not Report.objects.filter(station=sesetan, audited=False).exists()
    assert Report.objects.filter(station=ped, audited=False).count() == 600

    # Two sealers at once over both districts, in small batches: they take turns per district.
    store(election, ped, 1200)
    store(election, sesetan, 1200)
    assert seal_with_two_sealers(batch=300) == []
    assert not Report.objects.filter(audited=False).exists()
    assert Report.objects.filter(register="51.05/2024").count() == 1800 and gap_free("51.05/2024")
    assert Report.objects.filter(register="51.71/2024").count() == 1800 and gap_free("51.71/2024")
    assert AuditEvent.objects.filter(action="report.file").count() == 3600  # each chained once
    assert AuditEvent.objects.filter(action="report.file", partition=DENPASAR).count() == 1800
    assert verify_chain() is None

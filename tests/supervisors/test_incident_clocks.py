"""An incident's clocks: response timers per severity (longer across a crossing) and escalation
exactly once when a clock runs out, by the scheduled check or the sweep (docs/incidents.md)."""

from datetime import datetime, timedelta

import pytest
from django.db import connection

from sinergi.accounts.models import Agency, User
from sinergi.audit.models import AuditEvent
from sinergi.logistics.models import Crossing
from sinergi.stations.models import Station
from sinergi.supervisors import incident_flow as flow
from sinergi.supervisors import incidents
from sinergi.supervisors.models import Incident, IncidentStep, ResponseTimer
from tests import personas
from tests.supervisors.test_incidents import WITA, cid, polres, polsek_np

# -- timers ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_due_times_per_severity_longer_across_the_crossing(incident, mainland_incident, user_of, voting_morning, pemilu):
    bawaslu = user_of(personas.BAWASLU)
    incidents.refer(actor=bawaslu, incident=incident, client_id=cid())
    incidents.refer(actor=bawaslu, incident=mainland_incident, client_id=cid())
    incident.refresh_from_db()
    mainland_incident.refresh_from_db()
    crossing = Crossing.objects.get(election=pemilu, name=incident.station.crossing).duration_min
    assert incident.acknowledge_due == voting_morning + timedelta(minutes=10)  # high: 10 minutes
    assert incident.arrival_due == voting_morning + timedelta(minutes=30 + crossing)  # and the boat
    assert mainland_incident.acknowledge_due == voting_morning + timedelta(minutes=20)  # medium, on land
    assert mainland_incident.arrival_due == voting_morning + timedelta(minutes=60)


@pytest.mark.django_db
def test_the_elections_own_timers_hold_from_the_next_referral(client_of, incident, user_of, voting_morning):
    page = client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/kejadian/batas-waktu/")
    assert page.status_code == 200 and 'name="tinggi-terima"' not in page.text  # read, not set
    assert client_of(personas.BAWASLU).post("/pemilihan/pemilu-2024/kejadian/batas-waktu/", {"tinggi-terima": "5", "tinggi-tiba": "30"}).status_code == 403
    admin = User.objects.create_superuser("root-incidents", password="x" * 20)
    client = client_of(personas.BAWASLU)
    client.force_login(admin)
    values = {"tinggi-terima": "12", "tinggi-tiba": "40", "sedang-terima": "30", "sedang-tiba": "120", "rendah-terima": "60", "rendah-tiba": "240"}
    assert client.post("/pemilihan/pemilu-2024/kejadian/batas-waktu/", values).status_code == 302
    assert ResponseTimer.objects.get(election=incident.election, severity="tinggi").acknowledge_minutes == 12
    bad = client.post("/pemilihan/pemilu-2024/kejadian/batas-waktu/", values | {"tinggi-tiba": "5"}, follow=True)
    assert "tiba tidak lebih cepat dari diterima" in bad.text
    incidents.refer(actor=user_of(personas.BAWASLU), incident=incident, client_id=cid())
    incident.refresh_from_db()
    assert incident.acknowledge_due == voting_morning + timedelta(minutes=12)


# -- escalation -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unacknowledged_incident_escalates_exactly_once_when_its_clock_runs_out(incident, user_of, voting_morning, on, pemilu):
    incidents.refer(actor=user_of(personas.PANWASCAM_NUSA_PENIDA), incident=incident, client_id=cid())
    assert incidents.escalate_due(voting_morning + timedelta(minutes=9)) == 0
    later = voting_morning + timedelta(minutes=11)
    assert incidents.escalate_due(later) == 1
    assert incidents.escalate_due(later + timedelta(minutes=1)) == 0
    assert incidents.escalate_one(incident.pk, later + timedelta(hours=3)) is None  # the arrival clock ran out too: still once
    incident.refresh_from_db()
    assert incident.escalated_to == polres() and incident.agency == polsek_np() and incident.state == flow.REFERRED
    step = incident.steps.get(action=flow.ESCALATE)
    bawaslu = Agency.objects.get(slug="bawaslu-klungkung")
    assert step.tell == [f"agency:{polres().pk}", f"agency:{bawaslu.pk}"] and step.actor is None
    assert AuditEvent.objects.filter(action="incident.eskalasi", object_id=str(incident.pk)).count() == 1
    # The Polres now reads it and may act: it acknowledges.
    on(later)
    polres_user = user_of(personas.POLRES)
    assert polres_user.username and client_polres_sees(polres_user, pemilu, incident)
    incidents.acknowledge(actor=polres_user, incident=incident, client_id=cid())
    assert Incident.objects.get(pk=incident.pk).state == flow.ACKNOWLEDGED


def client_polres_sees(user, election, incident) -> bool:
    from sinergi.supervisors.queries import incidents_for

    return incidents_for(user, election).filter(pk=incident.pk).exists()


@pytest.mark.django_db
def test_an_acknowledged_incident_nobody_reached_escalates_at_the_arrival_due_time(incident, user_of, voting_morning):
    incidents.refer(actor=user_of(personas.BAWASLU), incident=incident, client_id=cid())
    incidents.acknowledge(actor=user_of(personas.POLSEK_NUSA_PENIDA), incident=incident, client_id=cid())
    incident.refresh_from_db()
    assert incidents.escalate_due(incident.arrival_due - timedelta(seconds=1)) == 0
    assert incidents.escalate_due(incident.arrival_due) == 1
    assert incident.steps.get(action=flow.ESCALATE).note == "Batas waktu lewat: polisi belum tiba."


@pytest.mark.django_db
def test_a_resolved_or_unreferred_incident_never_escalates(incident, mainland_incident, user_of, voting_morning):
    assert incidents.escalate_due(voting_morning + timedelta(days=1)) == 0  # new: no clock runs
    assert not IncidentStep.objects.filter(action=flow.ESCALATE, incident__in=[incident, mainland_incident]).exists()


@pytest.mark.django_db
def test_the_escalation_task_checks_its_incident(incident, user_of, voting_morning, on):
    from sinergi.supervisors.tasks import escalate_incident, escalate_overdue_incidents

    incidents.refer(actor=user_of(personas.BAWASLU), incident=incident, client_id=cid())
    assert escalate_incident.call(incident.pk) is False  # not yet due
    on(voting_morning + timedelta(minutes=20))
    assert escalate_overdue_incidents.call() == 1
    assert escalate_incident.call(incident.pk) is False  # already escalated


@pytest.mark.django_db
def test_the_referral_schedules_the_escalation_check_at_the_due_times(incident, user_of, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}  # the deployment's queue
    with django_capture_on_commit_callbacks(execute=True):
        incidents.refer(actor=user_of(personas.BAWASLU), incident=incident, client_id=cid())
    incident.refresh_from_db()
    queued = DBTaskResult.objects.filter(task_path="sinergi.supervisors.tasks.escalate_incident").order_by("run_after")
    assert [(row.run_after, row.args_kwargs["args"]) for row in queued] == [(incident.acknowledge_due, [incident.pk]), (incident.arrival_due, [incident.pk])]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer on one database lock: nothing to race")
@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_escalate_once(committed):
    import threading

    from django.db import connections

    from sinergi.elections.models import Election

    election = Election.objects.get(slug="pemilu-2024")
    station = Station.objects.get(election=election, village_id="51.05.01.2010", number=17)
    moment = datetime(2024, 2, 14, 9, 0, tzinfo=WITA)
    pending = []
    for n in range(5):
        pending.append(
            Incident.objects.create(
                election=election,
                station=station,
                client_id=cid(),
                category="intimidasi",
                severity="tinggi",
                occurred_at=moment,
                description=f"k{n}",
                state=flow.REFERRED,
                agency=polsek_np(),
                referred_at=moment,
                acknowledge_due=moment + timedelta(minutes=15),
                arrival_due=moment + timedelta(hours=2),
            )  # fmt: skip
        )
    start, counts, errors = threading.Barrier(2), [], []

    def sweep():
        try:
            start.wait()
            counts.append(incidents.escalate_due(moment + timedelta(minutes=20)))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sum(counts) == 5
    assert IncidentStep.objects.filter(action=flow.ESCALATE, incident__in=pending).count() == 5

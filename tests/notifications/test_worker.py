"""`sinergi worker`: the task queue's worker plus the periodic scheduler and the heartbeat; pages
tell staff when background work is late because no worker runs."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sinergi.core import schedule
from sinergi.core.models import PeriodicRun, WorkerHeartbeat
from tests import personas

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RUNS = []


@task
def count_a_run() -> int:
    RUNS.append(1)
    return len(RUNS)


TEST_REGISTRY = (schedule.Periodic("test.count", "tests.notifications.test_worker.count_a_run", timedelta(minutes=5)),)
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def test_a_periodic_task_runs_once_per_interval(db):
    RUNS.clear()
    assert schedule.tick(T0, TEST_REGISTRY) == ["test.count"]
    assert schedule.tick(T0 + timedelta(seconds=10), TEST_REGISTRY) == []  # another tick, or another worker
    assert schedule.tick(T0 + timedelta(minutes=4, seconds=59), TEST_REGISTRY) == []
    assert schedule.tick(T0 + timedelta(minutes=5), TEST_REGISTRY) == ["test.count"]
    assert len(RUNS) == 2 and PeriodicRun.objects.get(name="test.count").last_enqueued_at == T0 + timedelta(minutes=5)


def test_the_registry_holds_the_case_reminders():
    assert any(p.task == "sinergi.cases.tasks.send_case_reminders" for p in schedule.PERIODIC)
    for periodic in schedule.PERIODIC:
        from django.utils.module_loading import import_string

        assert callable(import_string(periodic.task).enqueue)


@pytest.mark.django_db(transaction=True)
def test_the_worker_enqueues_the_due_periodic_tasks_runs_them_and_beats(committed, settings):
    settings.TASKS = DATABASE_TASKS
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    reminders = DBTaskResult.objects.get(task_path="sinergi.cases.tasks.send_case_reminders")
    assert reminders.status == TaskResultStatus.SUCCESSFUL
    assert PeriodicRun.objects.filter(name="cases.reminders", last_enqueued_at__isnull=False).exists()
    # A second pass within the interval enqueues nothing new.
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert DBTaskResult.objects.filter(task_path="sinergi.cases.tasks.send_case_reminders").count() == 1
    assert not WorkerHeartbeat.objects.exists()  # a worker that stopped cleanly removes its row


def test_the_heartbeat_is_renewed(db):
    schedule.beat("w1", T0, now=T0)
    schedule.beat("w1", T0, now=T0 + timedelta(seconds=10))
    assert WorkerHeartbeat.objects.get(worker_id="w1").seen_at == T0 + timedelta(seconds=10)


@pytest.mark.django_db(transaction=True)
def test_a_replan_asked_on_the_page_runs_on_sinergi_worker(committed, client_of, settings):
    from sinergi.core.models import Job

    settings.TASKS = DATABASE_TASKS
    kpu = client_of(personas.KPU)
    kpu.post("/pemilihan/pemilu-2024/logistik/distribusi/", {"replan": "1", "reason": "Uji pekerja", "confirm": "1"})
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", "--no-scheduler", verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


BANNER = 'data-testid="worker-late"'
PAGE = "/pemilihan/pemilu-2024/"


def test_staff_are_told_when_tasks_wait_and_no_worker_beats(client_of, settings):
    from sinergi.supervisors.tasks import send_field_code

    settings.TASKS = DATABASE_TASKS
    bawaslu = client_of(personas.BAWASLU)
    assert BANNER not in bawaslu.get(PAGE).content.decode()  # nothing waits: nothing is late
    send_field_code.enqueue(10**9, "https://x.example/")  # a task waits
    assert BANNER in bawaslu.get(PAGE).content.decode()
    assert BANNER not in client_of(personas.PTPS_PED).get("/notifikasi/").content.decode()  # not for field accounts
    now = datetime.now(UTC)
    schedule.beat("w1", now, now=now)  # a live worker
    assert BANNER not in bawaslu.get(PAGE).content.decode()
    WorkerHeartbeat.objects.update(seen_at=now - timedelta(minutes=3))  # a worker gone silent
    assert BANNER in bawaslu.get(PAGE).content.decode()


def test_on_voting_day_a_missing_worker_is_always_shown(client_of, on):
    on(datetime(2024, 2, 14, 1, 0, tzinfo=UTC))  # 09.00 WITA on the Pemilu's voting day
    assert BANNER in client_of(personas.POLRES).get(PAGE).content.decode()
    on(datetime(2024, 2, 20, 1, 0, tzinfo=UTC))
    assert BANNER not in client_of(personas.POLRES).get(PAGE).content.decode()


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gaps=st.lists(st.integers(min_value=0, max_value=900), min_size=1, max_size=25))
def test_ticks_at_any_times_enqueue_exactly_the_due_ones(db, gaps):
    """Whatever the moments the scheduler wakes up (several workers included), a periodic task is
    enqueued at a tick exactly when its interval has passed since the last enqueue (`schedule.due`)."""
    PeriodicRun.objects.filter(name="test.count").delete()
    RUNS.clear()
    moment, last, expected = T0, None, 0
    for gap in gaps:
        moment += timedelta(seconds=gap)
        fired = schedule.tick(moment, TEST_REGISTRY) == ["test.count"]
        assert fired == schedule.due(moment, last, TEST_REGISTRY[0].every)
        if fired:
            last, expected = moment, expected + 1
    assert len(RUNS) == expected


@given(age=st.integers(min_value=0, max_value=3600), waiting=st.booleans(), voting_day=st.booleans())
def test_late_means_an_old_heartbeat_while_work_waits_or_on_voting_day(age, waiting, voting_day):
    newest = T0 - timedelta(seconds=age)
    assert schedule.late_from(T0, newest, waiting, voting_day) == (age >= 120 and (waiting or voting_day))
    assert schedule.late_from(T0, None, waiting, voting_day) == (waiting or voting_day)  # no worker ever beat
    assert schedule.late_from(T0, newest.replace(tzinfo=None).isoformat(sep=" "), waiting, voting_day) == (
        age >= 120 and (waiting or voting_day)
    )  # SQLite's text

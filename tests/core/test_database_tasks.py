"""Production's task backend (django-tasks-db, settings.TASKS): a task enqueued by a request is
stored in the database, not run; `sinergi db_worker` (a second process in production) runs it.
The rest of the suite uses the immediate backend (tests/settings.py); this module switches to the
real one, on SQLite and on PostgreSQL."""

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sinergi.supervisors.models import Assignment, FieldLogin
from tests import personas

ROSTER = "/pemilihan/pemilu-2024/pengawas/"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker_once() -> None:
    """What the worker process does, until the queue is empty (then it exits)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_production_settings_queue_tasks_in_the_database():
    from sinergi import settings as production

    assert production.TASKS == DATABASE_TASKS and "django_tasks_db" in production.INSTALLED_APPS


@pytest.mark.django_db(transaction=True)
def test_a_queued_sms_waits_in_the_database_until_the_worker_sends_it(committed, client_of, pemilu, settings, capsys):
    settings.TASKS = DATABASE_TASKS
    post = Assignment.objects.select_related("station__village").get(election=pemilu, region_id="51.05.01.2010", station__number=17, status__in=Assignment.ACTIVE)
    bawaslu = client_of(personas.BAWASLU)
    assert bawaslu.get(f"{ROSTER}{post.pk}/surat-tugas.pdf").status_code == 200  # issues the code
    assert bawaslu.post(f"{ROSTER}{post.pk}/kode-lapangan/sms/").status_code == 302
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "sinergi.supervisors.tasks.send_field_code" and queued.status == TaskResultStatus.READY
    login = FieldLogin.objects.get(assignment=post)
    assert queued.args_kwargs["args"][0] == login.pk and login.sms_queued_at is not None and login.sms_sent_at is None
    assert "SMS ke" not in capsys.readouterr().out  # the request did not send it

    run_worker_once()

    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL and queued.return_value == "terkirim" and queued.worker_ids
    assert FieldLogin.objects.get(pk=login.pk).sms_sent_at is not None
    assert "#kode=" in capsys.readouterr().out  # the console SMS backend wrote the message


@pytest.mark.django_db(transaction=True)
def test_the_worker_stores_each_result_and_prune_db_task_results_deletes_old_ones(committed, settings):
    from sinergi.supervisors.tasks import send_field_code

    settings.TASKS = DATABASE_TASKS
    result = send_field_code.enqueue(10**9, "https://x.example/lapangan/masuk/")  # no such code: nothing to send
    run_worker_once()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == TaskResultStatus.SUCCESSFUL and stored.return_value == "dicabut"
    call_command("prune_db_task_results", "--min-age-days", "0", verbosity=0)
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_replan_asked_on_the_page_is_queued_and_run_by_the_worker_as_the_officer(committed, client_of, pemilu, settings):
    from sinergi.audit.models import AuditEvent
    from sinergi.core.models import Job
    from sinergi.logistics.models import DistributionPlan

    settings.TASKS = DATABASE_TASKS
    plans = DistributionPlan.objects.filter(election=pemilu).count()
    kpu = client_of(personas.KPU)
    answer = kpu.post("/pemilihan/pemilu-2024/logistik/distribusi/", {"replan": "1", "reason": "Uji pekerja", "confirm": "1"})
    job = Job.objects.get()
    [queued] = DBTaskResult.objects.all()
    assert answer.status_code == 302 and queued.task_path == "sinergi.logistics.tasks.replan_distribution" and job.task_id == str(queued.id)
    assert job.status == Job.Status.QUEUED and DistributionPlan.objects.filter(election=pemilu).count() == plans

    run_worker_once()

    job.refresh_from_db()
    queued.refresh_from_db()
    plan = DistributionPlan.objects.filter(election=pemilu).first()
    assert queued.status == TaskResultStatus.SUCCESSFUL and queued.return_value == plan.pk
    assert job.status == Job.Status.DONE and job.result["plan"] == plan.pk and plan.reason == "Uji pekerja"
    assert AuditEvent.objects.filter(action="distribution_plan.create", actor__username=personas.KPU).count() == 1
    assert 'data-status="selesai"' in kpu.get(answer["Location"]).text

"""The production task backend (core/tasks.py) runs a task in a worker thread, after `enqueue` has
returned, and records a failure instead of raising it into the caller."""

import threading

from django.tasks import task
from django.tasks.base import TaskResultStatus

from sinergi.core.tasks import ThreadBackend, wait_for_tasks

RAN: list = []


@task
def note_thread(value: str) -> str:
    RAN.append((value, threading.current_thread().name))
    return value


@task
def fail() -> None:
    raise RuntimeError("gagal")


def test_a_task_runs_in_the_worker_thread_not_in_the_caller():
    backend = ThreadBackend("default", {})  # what settings.TASKS names in production
    RAN.clear()
    result = backend.enqueue(note_thread, ("sms",), {})
    wait_for_tasks()
    [(value, thread)] = RAN
    assert value == "sms" and thread.startswith("sinergi-task") and thread != threading.current_thread().name
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == "sms"
    failed = backend.enqueue(fail, (), {})  # does not raise here
    wait_for_tasks()
    assert failed.status == TaskResultStatus.FAILED and "gagal" in failed.errors[0].traceback


def test_production_settings_name_the_thread_backend():
    from sinergi import settings as production

    assert production.TASKS["default"]["BACKEND"] == "sinergi.core.tasks.ThreadBackend"

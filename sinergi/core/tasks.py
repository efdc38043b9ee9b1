"""The task backend of Django's tasks framework (`django.tasks`): each task runs in a worker
thread of the process that enqueued it, once the request has been answered.

Django ships only an immediate backend (the task runs inside `enqueue`, so inside the request
that asked for it) and a dummy one (never runs). Sinergi's background work is short and bounded —
a few hundred SMS handed to a gateway — and must not hold a request open, so a thread is enough;
no broker or worker process to operate. What a task does is recorded on its rows (e.g. a field
code's `sms_sent_at`), so work lost with a restarting process is visible and can be asked again.
Tests use the immediate backend (tests/settings.py) so that they see a task's effect at once.
"""

import logging
from concurrent.futures import ThreadPoolExecutor

from django.db import connections
from django.tasks.backends.immediate import ImmediateBackend

logger = logging.getLogger(__name__)

# One thread: tasks run one after another in the order they were enqueued (an SMS gateway is
# rate-limited anyway), and a burst of tasks cannot open many database connections.
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sinergi-task")


class ThreadBackend(ImmediateBackend):
    """The immediate backend's bookkeeping (signals, result, errors logged), run in a thread."""

    def _execute_task(self, task_result):
        _pool.submit(self._run, task_result)

    def _run(self, task_result):
        try:
            super()._execute_task(task_result)
            for error in task_result.errors:
                logger.error("task %s failed:\n%s", task_result.task.name, error.traceback)
        finally:
            # The thread's own database connections, closed after each task.
            connections.close_all()


def wait_for_tasks(timeout: float = 30) -> None:
    """Block until every task enqueued so far has run (for tests and commands that end the process)."""
    _pool.submit(lambda: None).result(timeout=timeout)

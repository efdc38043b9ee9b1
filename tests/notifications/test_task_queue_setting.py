"""TASK_QUEUE picks where background tasks queue, settings only: the database (default) or Redis
through django-tasks-rq (installed by a larger deployment, not a dependency of Sinergi)."""

import os
import subprocess
import sys

CODE = "import sinergi.settings as s; print(s.TASKS['default']['BACKEND'], getattr(s, 'RQ_QUEUES', {}).get('default', {}).get('URL', '-'), 'django_tasks_rq' in s.INSTALLED_APPS)"


def settings_with(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"TASK_QUEUE", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run([sys.executable, "-c", CODE], env={**clean, "DEBUG": "1", "SINERGI_VAR_DIR": str(tmp_path), **env}, capture_output=True, text=True)


def test_the_database_queue_is_the_default(tmp_path):
    assert settings_with(tmp_path).stdout.split() == ["django_tasks_db.DatabaseBackend", "-", "False"]


def test_rq_on_redis_is_a_setting(tmp_path):
    result = settings_with(tmp_path, TASK_QUEUE="rq", REDIS_URL="redis://redis.internal:6379/2")
    assert result.stdout.split() == ["django_tasks_rq.RQBackend", "redis://redis.internal:6379/2", "True"]


def test_an_unknown_queue_is_refused(tmp_path):
    result = settings_with(tmp_path, TASK_QUEUE="celery")
    assert result.returncode != 0 and "TASK_QUEUE" in result.stderr

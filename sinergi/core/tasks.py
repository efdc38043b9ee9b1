"""Background work of the core app (the periodic tasks of core/schedule.py)."""

from django.tasks import task

from sinergi.core.jobs import purge_files


@task
def purge_job_files() -> int:
    """Remove documents of jobs finished over an hour ago and never downloaded."""
    return purge_files()

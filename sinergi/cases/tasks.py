"""Background work of the cases app: the deadline reminders, enqueued every few minutes by the
worker's scheduler (core/schedule.py, `sinergi worker`)."""

from django.tasks import task

from sinergi.cases.reminders import send_reminders


@task
def send_case_reminders() -> int:
    """Send the reminders due now (each once, cases/reminders.py); returns how many were sent."""
    return len(send_reminders())

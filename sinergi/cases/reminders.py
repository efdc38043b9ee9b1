"""Reminders of cases' running deadlines (half time, one day before, overdue), sent once each by
`sinergi case-reminders`, the background task (docs/cases.md)."""

import logging
from datetime import datetime
from functools import partial

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.cases import workflow
from sinergi.cases.deadlines import Deadline
from sinergi.cases.models import Case, Reminder
from sinergi.cases.services import all_days_off, deadline_end, running_deadline
from sinergi.regions.codes import is_within

log = logging.getLogger(__name__)


def send_reminders(now: datetime | None = None) -> list[Reminder]:
    """Send the reminders due at `now` for every running deadline: at half time, one day before
    the end and once overdue, to the officers of the agency that answers for it in the case's
    area (e-mail when they have an address; always recorded and shown on the case). Each is sent
    once; a run that finds several due sends the latest and marks the earlier superseded."""
    now = now or timezone.now()
    sent = []
    open_cases = Case.objects.exclude(status__in=workflow.FINAL).select_related("election", "region").prefetch_related("steps")
    days_off = all_days_off()
    for case in open_cases:
        deadline = running_deadline(case, list(case.steps.all()), days_off)
        if deadline is None:
            continue
        end = deadline_end(case, deadline)
        kind, earlier = workflow.due_reminder(case.status_since, end, now)
        if kind is None:
            continue
        moments = dict(workflow.reminder_moments(case.status_since, end))
        if Reminder.objects.filter(case=case, rule=deadline.rule.code, since=case.status_since, kind=kind).exists():
            continue
        recipients = _reminder_recipients(case)
        try:
            with transaction.atomic(durable=True):
                for old in earlier:
                    Reminder.objects.get_or_create(
                        case=case, rule=deadline.rule.code, since=case.status_since, kind=old, defaults={"due_at": moments[old], "sent_at": now, "superseded": True}
                    )
                reminder = Reminder.objects.create(
                    case=case, rule=deadline.rule.code, since=case.status_since, kind=kind, due_at=moments[kind], sent_at=now, recipients=len(recipients)
                )
                # Mailed once the reminder is committed: it is recorded even if mail fails, and
                # never mailed when another worker recorded it first (the IntegrityError below).
                transaction.on_commit(partial(_mail_reminder, case, deadline, kind, recipients))
        except IntegrityError:
            continue  # another worker recorded it first: it sends it
        sent.append(reminder)
    return sent


def _reminder_recipients(case: Case) -> list[str]:
    """The e-mail addresses of the active officers of the agency answering for the case's running
    deadline whose area covers the case."""
    kind = workflow.RESPONSIBLE.get(case.status, workflow.BAWASLU)
    parts = case.region_id.split(".")
    above = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    users = User.objects.filter(is_active=True, agency__kind=kind, agency__region_id__in=above).exclude(email="").select_related("agency")
    return sorted({user.email for user in users if user.area_code is None or is_within(case.region_id, user.area_code)})


def _mail_reminder(case: Case, deadline: Deadline, kind: str, recipients: list[str]) -> None:
    if not recipients:
        return
    subject = f"[Sinergi] {workflow.REMINDER_LABEL[kind]}: {deadline.rule.step} — {case}"
    body = f"{workflow.REMINDER_LABEL[kind]}.\n\nPerkara: {case} ({case.get_status_display()})\n{deadline.rule.step}: {deadline.computation()}\nDasar: {deadline.rule.basis}\n"
    try:
        send_mail(subject, body, None, recipients)
    except OSError:
        log.exception("case reminder e-mail failed; the reminder stays recorded on the case")

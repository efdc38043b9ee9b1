"""Reminders of cases' running deadlines (half time, one day before, overdue), sent once each by
the periodic task `cases.tasks.send_case_reminders` that `sinergi worker` runs every five minutes
(core/schedule.py), or by `sinergi case-reminders` (docs/cases.md). Each reaches its officers as a
notification (docs/notifications.md): in their list, and by e-mail where they have an address."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.cases import workflow
from sinergi.cases.deadlines import Deadline
from sinergi.cases.models import Case, Reminder
from sinergi.cases.services import all_days_off, deadline_end, running_deadline
from sinergi.notifications.services import notify
from sinergi.regions import codes
from sinergi.regions.codes import is_within


def send_reminders(now: datetime | None = None) -> list[Reminder]:
    """Send the reminders due at `now` for every running deadline: at half time, one day before
    the end and once overdue, to the officers of the agency that answers for it in the case's
    area (a notification to each, e-mailed to those with an address; always recorded and shown on
    the case; `recipients` on the row counts the e-mail addresses). Each is sent
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
                        case=case,
                        rule=deadline.rule.code,
                        since=case.status_since,
                        kind=old,
                        defaults={"due_at": moments[old], "sent_at": now, "superseded": True},
                    )
                reminder = Reminder.objects.create(
                    case=case, rule=deadline.rule.code, since=case.status_since, kind=kind, due_at=moments[kind], sent_at=now,
                    recipients=sum(1 for user in recipients if user.email),
                )  # fmt: skip
                # Delivered once the reminder is committed (notify enqueues after the commit): it
                # is recorded even if mail fails, and never sent when another worker recorded it
                # first (the IntegrityError below), nor twice (the source key).
                _notify_reminder(case, deadline, kind, recipients, reminder)
        except IntegrityError:
            continue  # another worker recorded it first: it sends it
        sent.append(reminder)
    return sent


def _reminder_recipients(case: Case) -> list[User]:
    """The active officers (staff and administrators) of the agency answering for the case's
    running deadline whose area covers the case."""
    kind = workflow.RESPONSIBLE.get(case.status, workflow.BAWASLU)
    above = codes.lineage(case.region_id)
    users = User.objects.filter(is_active=True, agency__kind=kind, agency__region_id__in=above).exclude(role=User.Role.FIELD).select_related("agency")
    return sorted((user for user in users if user.area_code is None or is_within(case.region_id, user.area_code)), key=lambda user: user.pk)


def _notify_reminder(case: Case, deadline: Deadline, kind: str, recipients: list[User], reminder: Reminder) -> None:
    """The reminder as a notification to each officer (e-mailed with the same subject and text)."""
    title = f"{workflow.REMINDER_LABEL[kind]}: {deadline.rule.step} — {case}"
    body = f"{workflow.REMINDER_LABEL[kind]}.\n\nPerkara: {case} ({case.get_status_display()})\n{deadline.rule.step}: {deadline.computation()}\nDasar: {deadline.rule.basis}"
    notify(
        recipients=recipients,
        kind="cases.reminder",
        title=title,
        body=body,
        url=reverse("cases:detail", args=[case.election.slug, case.pk]),
        election=case.election,
        source_key=f"case-reminder:{reminder.pk}",
    )

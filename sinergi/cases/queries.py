"""Reads of cases, scoped: Bawaslu's levels see the cases of their area; the police and the
prosecutor only those that reached Sentra Gakkumdu; deliberations only Gakkumdu's members; the
public only a report's public steps, by its tracking code."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can
from sinergi.cases import workflow
from sinergi.cases.models import Case, Step
from sinergi.cases.services import all_days_off, deadline_end, running_deadline
from sinergi.core.alerts import Alert
from sinergi.elections.models import Election
from sinergi.regions.queries import within


def cases_for(user: User, election: Election) -> QuerySet[Case]:
    """The cases of `election` that `user` may see (PermissionDenied when none at all)."""
    queryset = Case.objects.filter(election=election).filter(within("region__code", user.area_code)).select_related("election", "region")
    if can(user, Perm.VIEW_CASES):
        return queryset
    if can(user, Perm.GAKKUMDU):
        # Brought to Sentra Gakkumdu: a suspected crime, or a case it has deliberated on (Bawaslu
        # opens the first deliberation right after registering a suspected crime).
        return queryset.filter(Q(outcome=Case.Outcome.CRIME) | Q(pk__in=Step.objects.filter(deliberation=True).values("case_id")))
    raise PermissionDenied("missing permission cases.view")


def case_for(user: User, election: Election, pk: int) -> Case:
    case = cases_for(user, election).filter(pk=pk).first()
    if case is None:
        raise Http404("Perkara tidak ada atau di luar wilayah Anda.")
    return case


def steps_for(user: User, case: Case) -> list[Step]:
    """The steps of `case` that `user` may read: deliberations only for Gakkumdu members."""
    steps = case.steps.select_related("actor", "agency")
    if not can(user, Perm.GAKKUMDU):
        steps = steps.filter(deliberation=False)
    return list(steps)


def normal_tracking_code(typed: str) -> str:
    """A tracking code as stored ('LP-DEMX-UANG') from what a person typed or pasted: case,
    spaces, dashes of any kind, dots and underscores are ignored and the 'LP' may be left out
    (' lp demx uang ', 'lpdemxuang', 'DEMX–UANG' all give 'LP-DEMX-UANG'). Anything that is not
    eight characters after that comes back as it was typed (upper case, no separators): no code."""
    bare = re.sub(r"[\s\-‐-―−_.·/]+", "", typed).upper()
    if len(bare) == 10 and bare.startswith("LP"):
        bare = bare[2:]
    if len(bare) != 8:
        return bare[:20]
    return f"LP-{bare[:4]}-{bare[4:]}"


def by_tracking_code(code: str) -> Case | None:
    """The public report with this tracking code, however it was typed (`normal_tracking_code`)."""
    return Case.objects.filter(tracking_code=normal_tracking_code(code), kind=Case.Kind.REPORT).select_related("election", "region").first()


def is_finding_code(code: str) -> bool:
    """Whether `code` is a finding's: supervisors' findings are followed by Bawaslu, not on the
    public page, and the person who typed it is told so rather than to check the code."""
    return Case.objects.filter(tracking_code=normal_tracking_code(code), kind=Case.Kind.FINDING).exists()


def public_steps(case: Case) -> list[Step]:
    """What the reporter's page shows: the public steps, never deliberations (label and date only)."""
    return list(case.steps.filter(public=True, deliberation=False).only("action", "at", "to_status", "outcome"))


def situation_alerts(user: User, election: Election, now: datetime) -> list[Alert]:
    """Overdue cases ("danger") and those whose deadline ends within a day ("warning"), for the
    situation room; none for a user who may see no case."""
    try:
        cases = list(cases_for(user, election).exclude(status__in=workflow.FINAL).prefetch_related("steps"))
    except PermissionDenied:
        return []
    alerts = []
    days_off = all_days_off()
    for case in cases:
        deadline = running_deadline(case, list(case.steps.all()), days_off)
        if deadline is None:
            continue
        end = deadline_end(case, deadline)
        url = reverse("cases:detail", args=[election.slug, case.pk])
        local_end = timezone.localtime(end, ZoneInfo(election.time_zone))
        if end <= now:
            alerts.append(Alert("danger", "Perkara", f"Terlambat: {deadline.rule.step} — {case}", f"batas {local_end:%d-%m-%Y %H.%M}; {deadline.rule.basis}", url, end))
        elif (end - now).total_seconds() <= 86400:
            alerts.append(Alert("warning", "Perkara", f"Batas waktu besok: {deadline.rule.step} — {case}", f"batas {local_end:%d-%m-%Y %H.%M}", url, end))
    return alerts

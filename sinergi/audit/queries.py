"""Reads of the audit trail."""

from django.db.models import Q, QuerySet

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit import chain, verification
from sinergi.audit.models import AuditEvent
from sinergi.regions.queries import within

# Events with no region that every administrator reads: an election's own definition (its stages,
# ballots, indicators, rules, kit and Form A questions), the regions, the days off and the trail's
# partitions. Any other event without a region (the accounts of a national body, say) is read by
# national viewers only.
SHARED_TYPES = (
    "elections.election", "elections.stage", "elections.ballottype", "risk.indicator", "risk.variable", "risk.riskrules",
    "logistics.kititem", "supervisors.question", "regions.region", "cases.dayoff", "audit.partition",
)  # fmt: skip


def events_for_browsing(user: User, *, action: str = "", username: str = "", election: str = "") -> QuerySet[AuditEvent]:
    """Events about objects in the viewer's area, and the shared national ones (`SHARED_TYPES`)."""
    require(user, Perm.VIEW_AUDIT)
    if user.area_code is None:
        queryset = AuditEvent.objects.all()
    else:
        queryset = AuditEvent.objects.filter(Q(region="", object_type__in=SHARED_TYPES) | within("region", user.area_code))
    if action:
        queryset = queryset.filter(action=action)
    if username:
        queryset = queryset.filter(actor_username=username)
    if election:
        queryset = queryset.filter(election=election)
    return queryset.order_by("-id")


def verify_chain(partition: str | None = None) -> chain.Break | None:
    """The first break found in the stored trail (every partition, or only `partition`), or None
    when it is intact; `verification.verify` says which partitions broke."""
    verdict = verification.verify(partition=partition)
    return next(iter(verdict.breaks.values()), None)


def anchor() -> dict:
    return verification.anchor()


def anchor_problem(summary: dict) -> str | None:
    """Why the stored trail does not reach `summary` (an anchor made earlier), or None."""
    problems = verification.verify(anchor=summary).anchor
    return next(iter(problems.values()), None)

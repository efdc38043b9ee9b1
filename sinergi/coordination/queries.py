"""Reads of meetings and action items, scoped.

A user holding `VIEW_MEETINGS` sees a meeting when its region is the user's area, lies below it
or above it (a Polsek sees the district's meetings, not another kecamatan's), or when the user's
agency attended it or owns one of its action items. For an election, the meetings of that
election and those tied to none (standing coordination of the area).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Agency, User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.coordination import followup
from sinergi.coordination.models import ActionItem, FollowUp, Meeting
from sinergi.core.alerts import Alert
from sinergi.elections.models import Election
from sinergi.regions.queries import related_to


def _visible(user: User) -> Q:
    """Meetings `user` may see (the permission is checked by the caller)."""
    area = related_to("region__code", user.area_code)
    if user.agency_id is None:
        return area
    return area | Q(pk__in=Meeting.agencies.through.objects.filter(agency_id=user.agency_id).values("meeting_id")) | Q(action_items__owner_id=user.agency_id)


def meetings_for(user: User, election: Election | None = None) -> QuerySet[Meeting]:
    """The meetings `user` may see (PermissionDenied without the permission), newest first; for
    `election`, its meetings and those tied to no election."""
    require(user, Perm.VIEW_MEETINGS)
    visible = Meeting.objects.filter(_visible(user)).values("pk")
    queryset = Meeting.objects.filter(pk__in=visible).select_related("election", "region", "recorded_by")
    if election is not None:
        queryset = queryset.filter(Q(election=election) | Q(election__isnull=True))
    return queryset


def meeting_for(user: User, election: Election, pk: int) -> Meeting:
    """One meeting with its agencies, decisions, items and their follow-ups; 404 when unseen."""
    items = ActionItem.objects.select_related("owner", "decision").prefetch_related(Prefetch("follow_ups", FollowUp.objects.select_related("author", "agency")))
    meeting = (
        meetings_for(user, election).filter(pk=pk).select_related("created_by").prefetch_related("agencies", "decisions", Prefetch("action_items", items)).first()
    )
    if meeting is None:
        raise Http404("Rapat tidak ada atau di luar wilayah Anda.")
    return meeting


def items_for(user: User, election: Election | None = None) -> QuerySet[ActionItem]:
    """The action items of the meetings `user` may see, soonest due first."""
    return ActionItem.objects.filter(meeting__in=meetings_for(user, election).values("pk")).select_related("meeting__election", "meeting__region", "owner", "decision")


def today_of(meeting: Meeting, now: datetime | None = None) -> date:
    """Today in the meeting's time zone (the day the overdue rule compares with)."""
    return timezone.localtime(now or timezone.now(), meeting.time_zone).date()


def due_end(item: ActionItem) -> datetime:
    """The end of the item's due day in its meeting's time zone: the moment it becomes overdue."""
    return datetime.combine(item.due_on + timedelta(days=1), time.min, item.meeting.time_zone)


@dataclass
class ItemRow:
    item: ActionItem
    state: str  # followup.OVERDUE, DUE_SOON, ON_TIME, DONE or CANCELLED
    days_late: int


def rows_of(items, now: datetime | None = None) -> list[ItemRow]:
    """Items with their standing on the local day of `now` in each meeting's time zone."""
    rows = []
    for item in items:
        today = today_of(item.meeting, now)
        rows.append(ItemRow(item, item.state(today), followup.days_late(item.status, item.due_on, today)))
    return rows


@dataclass
class AgencyGroup:
    agency: Agency
    rows: list[ItemRow] = field(default_factory=list)
    mine: bool = False

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.state == followup.OVERDUE)


def open_items_by_agency(user: User, election: Election | None, now: datetime | None = None) -> list[AgencyGroup]:
    """The active (open or in progress) items `user` may see, grouped by owner agency: the user's
    own agency first, then those with most overdue items; overdue items first within a group."""
    groups: dict[int, AgencyGroup] = {}
    for row in rows_of(items_for(user, election).filter(status__in=followup.ACTIVE), now):
        group = groups.setdefault(row.item.owner_id, AgencyGroup(row.item.owner, mine=row.item.owner_id == user.agency_id))
        group.rows.append(row)
    for group in groups.values():
        group.rows.sort(key=lambda r: (r.state != followup.OVERDUE, r.item.due_on, r.item.pk))
    return sorted(groups.values(), key=lambda g: (not g.mine, -g.overdue, g.agency.name))


def situation_alerts(user: User, election: Election, now: datetime) -> list[Alert]:
    """One "danger" alert per overdue action item `user` may see, one "warning" per item due
    within two days (today included); none for a user who may not see meetings."""
    if not can(user, Perm.VIEW_MEETINGS):
        return []
    alerts = []
    for row in rows_of(items_for(user, election).filter(status__in=followup.ACTIVE), now):
        item = row.item
        url = reverse("coordination:detail", args=[election.slug, item.meeting_id]) + f"#tindak-lanjut-{item.pk}"
        detail = _("%(owner)s; batas %(due)s; rapat %(meeting)s") % {"owner": item.owner.name, "due": f"{item.due_on:%d-%m-%Y}", "meeting": item.meeting.title}
        if row.state == followup.OVERDUE:
            alerts.append(Alert("danger", _("Rapat"), _("Tindak lanjut terlambat: %(title)s") % {"title": item.title}, detail, url, due_end(item)))
        elif row.state == followup.DUE_SOON:
            alerts.append(Alert("warning", _("Rapat"), _("Tindak lanjut segera jatuh tempo: %(title)s") % {"title": item.title}, detail, url, due_end(item)))
    return alerts

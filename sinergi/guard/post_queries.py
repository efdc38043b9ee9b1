"""Voting day's guard posts, read: which posts a user may see and act on, plan against actual per
post and per Polsek (the posts board), the situation room's unstaffed-post alerts and posts layer."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Agency, User
from sinergi.accounts.permissions import Perm, require
from sinergi.core.alerts import Alert
from sinergi.elections.models import Election
from sinergi.guard.models import GuardOfficer, GuardPost, OfficerMove, PostCheckIn
from sinergi.regions.codes import is_within
from sinergi.regions.queries import within, zones_in_use
from sinergi.stations.models import Station

OPENING = time(7, 0)  # TPS open at 07:00 local time (the election's time zone)


def may_act_on_post(user: User, post: GuardPost) -> bool:
    """A Polsek's accounts act on the posts of their own Polsek only (the kecamatan it covers
    included: their posts are its own); every other account on the posts of Polsek in its area."""
    if user.is_superuser:
        return True
    if user.agency_id is None:
        return False
    if user.agency.kind == Agency.Kind.POLSEK:
        return post.polsek_id == user.agency_id
    area = user.area_code
    return area is None or is_within(post.polsek.region_id, area)


def posts_of(user: User, election: Election) -> QuerySet[GuardPost]:
    """The posts in force `user` may see: a Polsek's own, or those of the Polsek in the user's area."""
    posts = GuardPost.objects.filter(election=election, retired_at__isnull=True).select_related("polsek")
    if user.is_superuser:
        return posts
    if user.agency_id is not None and user.agency.kind == Agency.Kind.POLSEK:
        return posts.filter(polsek=user.agency_id)
    return posts.filter(within("polsek__region__code", user.area_code))


def posts_to_check_in(user: User, election: Election) -> list[GuardPost]:
    """The posts the officer may check in at (the field app), with their TPS and officers."""
    require(user, Perm.CHECK_IN_POSTS)
    return list(posts_of(user, election).prefetch_related("stations__village", "officers").order_by("number"))


def opening_time(election: Election, region_code: str = "") -> datetime:
    """07.00 on voting day where `region_code` lies (its province's zone; the election's for '')."""
    return datetime.combine(election.voting_date, OPENING, tzinfo=election.zone_at(region_code))


@dataclass
class PostRow:
    post: GuardPost
    stations: list[Station]
    officers: int
    arrived_at: datetime | None  # the first arrival check-in at or before the board's moment
    police_present: int
    linmas_present: int | None
    patrols: int
    last_notes: str
    position: tuple[float, float] | None
    opening: datetime  # when the post's TPS open: 07.00 in the zone of its Polsek's kecamatan

    @property
    def staffed(self) -> bool:
        return self.arrived_at is not None


@dataclass
class PolsekRow:
    polsek: Agency
    posts: int = 0
    staffed: int = 0
    police_planned: int = 0
    officers: int = 0
    police_present: int = 0
    linmas_planned: int = 0
    linmas_present: int = 0

    @property
    def empty(self) -> int:
        return self.posts - self.staffed


@dataclass
class PostBoard:
    at: datetime
    opening: datetime
    rows: list[PostRow]
    polseks: list[PolsekRow]

    @property
    def empty_at_opening(self) -> list[PostRow]:
        """Posts nobody had reached when their TPS opened (07.00 on the post's own clock)."""
        return [row for row in self.rows if row.arrived_at is None or row.arrived_at > row.opening]


def post_board(user: User, election: Election, at: datetime) -> PostBoard:
    """Plan against actual per post and per Polsek at the moment `at` (check-ins whose phone time
    is later do not count yet): the posts `user` may see. Four queries."""
    require(user, Perm.VIEW_GUARD_PLAN)
    posts = list(posts_of(user, election).prefetch_related("stations__village").order_by("number"))
    officers = dict(GuardOfficer.objects.filter(post__in=posts).values("post").annotate(n=Count("pk")).values_list("post", "n"))
    check_ins = defaultdict(list)
    for row in PostCheckIn.objects.filter(post__in=posts, at__lte=at).order_by("at", "pk"):
        check_ins[row.post_id].append(row)
    rows, totals = [], {}
    for post in posts:
        seen = check_ins.get(post.pk, [])
        arrivals = [c for c in seen if c.kind == PostCheckIn.Kind.ARRIVAL]
        counted = [c.police_present for c in arrivals if c.police_present is not None]
        linmas = [c.linmas_present for c in seen if c.linmas_present is not None]
        patrols = [c for c in seen if c.kind == PostCheckIn.Kind.PATROL]
        placed = [c for c in seen if c.latitude is not None]
        row = PostRow(
            post=post,
            stations=sorted(post.stations.all(), key=lambda s: (s.village_id, s.number)),
            officers=officers.get(post.pk, 0),
            arrived_at=arrivals[0].at if arrivals else None,
            # What the officers counted last, else one per account that checked in.
            police_present=counted[-1] if counted else len({c.by_id for c in arrivals}),
            linmas_present=linmas[-1] if linmas else None,
            patrols=len(patrols),
            last_notes=patrols[-1].notes if patrols else "",
            position=(placed[-1].latitude, placed[-1].longitude) if placed else None,
            opening=opening_time(election, post.polsek.region_id),
        )
        rows.append(row)
        total = totals.setdefault(post.polsek_id, PolsekRow(post.polsek))
        total.posts += 1
        total.staffed += row.staffed
        total.police_planned += post.police
        total.officers += row.officers
        total.police_present += row.police_present
        total.linmas_planned += post.linmas
        total.linmas_present += row.linmas_present or 0
    return PostBoard(at, opening_time(election, user.area_code or ""), rows, sorted(totals.values(), key=lambda t: t.polsek.region_id))


UNSTAFFED_NAMED = 5  # per Polsek, posts named one by one; beyond that one alert counts them


def situation_alerts(user: User, election: Election, now: datetime) -> list[Alert]:
    """Posts still unstaffed at TPS opening time (07:00 local: in the zone of the post's Polsek,
    so a Papua post is named at 07.00 WIT), from then until the end of voting day: one alert per
    post, or one per Polsek when many are empty. Reads only the posts with no arrival by `now`
    (the situation room asks every 30 s)."""
    require(user, Perm.VIEW_GUARD_PLAN)
    # Before the first TPS anywhere open (07.00 WIT in Papua), or once voting day is over in every
    # zone, no post can be late: no query.
    zones = zones_in_use(election.time_zone)
    if now < min(datetime.combine(election.voting_date, OPENING, tzinfo=zone) for zone in zones):
        return []
    if all(timezone.localtime(now, zone).date() != election.voting_date for zone in zones):
        return []
    arrived = PostCheckIn.objects.filter(post=OuterRef("pk"), kind=PostCheckIn.Kind.ARRIVAL, at__lte=now)
    unstaffed = (
        posts_of(user, election).exclude(Exists(arrived)).select_related("polsek").prefetch_related("stations__village").order_by("number")
    )
    url = reverse("guard:posts", args=[election.slug])
    alerts, empty = [], defaultdict(list)
    for post in unstaffed:
        opening = opening_time(election, post.polsek.region_id)
        if opening <= now and timezone.localtime(now, opening.tzinfo).date() == election.voting_date:
            empty[post.polsek].append(post)
    for polsek, posts in empty.items():
        if len(posts) > UNSTAFFED_NAMED:
            title = _("%(count)s pos pengamanan belum terisi setelah TPS dibuka") % {"count": len(posts)}
            alerts.append(Alert("danger", _("Pengamanan"), title, polsek.name, url, opening_time(election, polsek.region_id)))
            continue
        for post in posts:
            title = _("Pos pengamanan belum terisi: Pos %(number)s (%(code)s)") % {"number": post.number, "code": post.code}
            stations = sorted(post.stations.all(), key=lambda s: (s.village_id, s.number))
            where = ", ".join(str(s) for s in stations)
            alerts.append(Alert("danger", _("Pengamanan"), title, f"{polsek.name} · {where}", url, opening_time(election, polsek.region_id)))
    return alerts


def post_detail(user: User, election: Election, pk: int) -> tuple[GuardPost, list[GuardOfficer], list[OfficerMove], list[PostCheckIn]]:
    require(user, Perm.VIEW_GUARD_PLAN)
    post = GuardPost.objects.filter(pk=pk, election=election).select_related("polsek").first()
    if post is None or not may_act_on_post(user, post):
        raise Http404("Pos tidak ada di wilayah Anda.")
    officers = list(post.officers.select_related("user"))
    moves = list(
        OfficerMove.objects.filter(Q(from_post=post) | Q(to_post=post))
        .select_related("officer", "from_post", "to_post", "moved_by")
        .order_by("-moved_at", "-pk")
    )
    check_ins = list(post.check_ins.select_related("by").order_by("-at", "-pk"))
    return post, officers, moves, check_ins


def staffing_by_station(user: User, election: Election, at: datetime) -> dict[int, tuple[str, str]]:
    """station id -> (the fixed post's class, "Pos N (code) · terisi sejak 06:40 / kosong") at
    `at`, for the situation room's posts layer once the plan is fixed; {} before. Plain rows:
    each post with its earliest arrival by `at`, and the post-to-TPS links."""
    require(user, Perm.VIEW_GUARD_PLAN)
    tz = ZoneInfo(election.time_zone)
    posts = posts_of(user, election).annotate(
        arrived_at=Min("check_ins__at", filter=Q(check_ins__kind=PostCheckIn.Kind.ARRIVAL, check_ins__at__lte=at))
    )
    tips = {}
    for pk, number, code, level, arrived_at in posts.values_list("pk", "number", "code", "level", "arrived_at"):
        state = _("terisi sejak %(at)s") % {"at": timezone.localtime(arrived_at, tz).strftime("%H:%M")} if arrived_at else _("kosong")
        tips[pk] = (level, f"{_('Pos %(n)s') % {'n': number}} ({code}) · {state}")
    links = GuardPost.stations.through.objects.filter(guardpost__in=list(tips)).values_list("station", "guardpost")
    return {station: tips[post] for station, post in links}

"""The guard plan, computed from the current classes, formations and personnel."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Agency, PolsekCoverage, User
from sinergi.accounts.permissions import Perm, require
from sinergi.core.alerts import Alert
from sinergi.elections.models import Election
from sinergi.guard import planning
from sinergi.guard.models import Formation, GuardOfficer, GuardPost, OfficerMove, PolsekPersonnel, PostCheckIn
from sinergi.regions.codes import is_within
from sinergi.regions.models import Region
from sinergi.regions.queries import villages_within, within
from sinergi.risk.queries import SuggestionChange, changes_of, classes_for, classes_with_changes
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to


@dataclass
class GuardPlan:
    plan: planning.Plan
    stations: dict[int, Station]
    classes: dict[int, tuple[str, str]]  # station id -> (class, 'polisi' | 'saran')
    district_names: dict[str, str]
    without_formation: list[Station]
    # Kecamatan whose TPS no formation covers, or that no Polsek answers for: errors on the page
    # and the command (never a silent omission).
    gaps: list["AreaGap"] = field(default_factory=list)
    # TPS whose suggested class changed since the police set it: planned on the police's class
    # until they confirm or override it, and named on the page meanwhile.
    changes: list[SuggestionChange] = field(default_factory=list)

    def post_of(self) -> dict[int, planning.Post]:
        return {sid: post for post in self.plan.posts for sid in post.station_ids}


@dataclass(frozen=True)
class AreaGap:
    """A kecamatan with TPS the plan cannot guard as it should: no formation covers them
    (`reason` "formasi": `polres` names the Polres expected to set one, or is empty when none
    answers for the area), or no Polsek answers for the kecamatan ("polsek")."""

    kecamatan_code: str
    kecamatan_name: str
    stations: int
    reason: str
    polres: str = ""

    def __str__(self) -> str:
        where = f"Kecamatan {self.kecamatan_name} ({self.kecamatan_code}): {self.stations} TPS"
        if self.reason == "polsek":
            return f"{where} tanpa Polsek — pos di kecamatan ini tidak punya personel. Daftarkan Polsek untuk kecamatan ini."
        if self.polres:
            return f"{where} tanpa formasi pengamanan — {self.polres} belum menetapkan formasi untuk pemilihan ini. Impor formasi (sinergi load-formation) atau pilih formasi awal di halaman pengamanan."
        return f"{where} tanpa formasi pengamanan — tidak ada Polres yang membawahi wilayah ini. Daftarkan Polres-nya, lalu tetapkan formasinya."


def polseks_by_kecamatan(area_code: str | None = None, *, with_regions: bool = False) -> dict[str, Agency]:
    """The Polsek answering for each kecamatan within `area_code` (kecamatan code -> Polsek).

    The one place that says which Polsek covers which kecamatan: the Polsek another kecamatan's
    Polsek covers (accounts.PolsekCoverage, set by the Polres) is that one's, every other
    kecamatan is its own Polsek's. The plan's personnel per kecamatan, the gaps, the personnel
    import and the printed plan all ask here (`with_regions`: with each one's region up to the
    kabupaten, for a letterhead)."""
    polseks = Agency.objects.filter(within("region__code", area_code), kind=Agency.Kind.POLSEK).order_by("-slug")
    covering = PolsekCoverage.objects.filter(within("kecamatan__code", area_code)).select_related("polsek")
    if with_regions:
        polseks = polseks.select_related("region__parent__parent")
        covering = covering.select_related("polsek__region__parent__parent")
    found = {polsek.region_id: polsek for polsek in polseks}
    for coverage in covering:
        found[coverage.kecamatan_id] = coverage.polsek
    return found


def _polres_of(code: str, polres_by_region: dict[str, str]) -> str:
    """The name of the Polres whose region is the longest prefix of `code`, or ''."""
    parts = code.split(".")
    return next((polres_by_region[".".join(parts[:n])] for n in range(len(parts), 0, -1) if ".".join(parts[:n]) in polres_by_region), "")


def area_gaps(uncovered: dict[str, int], planned: dict[str, int], polseks: dict[str, Agency], names: dict[str, str]) -> list[AreaGap]:
    """The gaps of a plan: `uncovered` counts per kecamatan the TPS no formation covers, `planned`
    those in posts; a kecamatan of either with no Polsek (`polseks`, from `polseks_by_kecamatan`)
    is a gap too. `names`: kecamatan code -> name."""
    polres = {a.region_id: a.name for a in Agency.objects.filter(kind=Agency.Kind.POLRES).order_by("-slug")} if uncovered else {}
    gaps = [AreaGap(code, names.get(code, code), count, "formasi", _polres_of(code, polres)) for code, count in uncovered.items()]
    gaps += [AreaGap(code, names.get(code, code), count, "polsek") for code, count in planned.items() if code not in polseks]
    return sorted(gaps, key=lambda gap: (gap.kecamatan_code, gap.reason))


def island_of(station: Station) -> str:
    """The landmass of a TPS for the planner: TPS reached by sea over the same crossing share one
    (a sea TPS with no crossing recorded is an island of its own village); every land TPS is on
    the mainland."""
    return _island(station.access, station.crossing, station.village_id)


def _island(access: str, crossing: str, village_code: str) -> str:
    if access == Station.Access.SEA:
        return f"laut:{crossing or village_code}"
    return "daratan"


def _visible(user: User, election: Election, within_area: str):
    require(user, Perm.VIEW_GUARD_PLAN)
    visible = stations_visible_to(user, election)
    if within_area:
        visible = visible.filter(villages_within("village__code", within_area))
    return visible


def seats_of(polseks: dict[str, Agency]) -> dict[str, str]:
    """kecamatan code -> the kecamatan of the Polsek that guards it, for the kecamatan another
    Polsek covers (from `polseks_by_kecamatan`); every other kecamatan is its own Polsek's."""
    return {code: polsek.region_id for code, polsek in polseks.items() if polsek.region_id != code}


def _plan(election: Election, classes: dict[int, tuple[str, str]], sites, polseks: dict[str, Agency], seats: dict[str, str]) -> planning.Plan:
    """Posts and totals for `sites`: (id, village code, kecamatan code, island, lat, lon) per TPS.
    The planner's unit is the Polsek: a covered kecamatan's TPS go to the covering Polsek
    (`seats`), whose posts, needs and personnel then count them; `polseks` (kecamatan code ->
    Polsek, `polseks_by_kecamatan`) says whose personnel counts."""
    formations = list(Formation.objects.filter(election=election).select_related("agency").prefetch_related("rules"))
    staffed = {p.agency_id: p.available + p.reinforcements for p in PolsekPersonnel.objects.filter(election=election, agency__kind=Agency.Kind.POLSEK)}
    personnel = {code: staffed.get(polsek.pk, 0) for code, polsek in polseks.items()}
    # Each TPS goes to the formation of the Polres whose region is the longest prefix of its
    # village code: one pass over the TPS, however many Polres there are.
    by_region = {f.agency.region_id: f for f in formations}
    members: dict[str, list[planning.PlanStation]] = defaultdict(list)
    for sid, village_code, district_code, island, lat, lon in sites:
        parts = village_code.split(".")
        region = next((".".join(parts[:n]) for n in range(len(parts), 0, -1) if ".".join(parts[:n]) in by_region), None)
        if region is not None:
            members[region].append(planning.PlanStation(sid, classes[sid][0], village_code, seats.get(district_code, district_code), island, lat, lon))
    posts: list[planning.Post] = []
    for region in sorted(members):
        rules = {r.level: planning.PostRule(r.police, r.stations, r.linmas) for r in by_region[region].rules.all()}
        for post in planning.plan_posts(members[region], rules).posts:
            post.number = len(posts) + 1
            posts.append(post)
    return planning.Plan(posts=posts, districts=planning.district_totals(posts, personnel))


def plan_for(user: User, election: Election, within_area: str = "", *, with_changes: bool = False) -> GuardPlan:
    """The plan over the TPS the user may see, or (`within_area`) those of a region inside that
    area: a national or provincial user plans one kabupaten at a time (docs/benchmarks.md).
    `with_changes`: also the TPS whose suggested class changed since the police set it (the page)."""
    visible = _visible(user, election, within_area)
    stations = {s.pk: s for s in visible}
    classes, changes = classes_with_changes(user, election, within_area) if with_changes else (classes_for(user, election, within_area), {})
    polseks = polseks_by_kecamatan()
    seats = seats_of(polseks)
    plan = _plan(election, classes, ((s.pk, s.village_id, s.village.parent_id, island_of(s), s.latitude, s.longitude) for s in stations.values()), polseks, seats)
    covered = {sid for post in plan.posts for sid in post.station_ids}
    without = [s for sid, s in stations.items() if sid not in covered]
    uncovered: dict[str, int] = defaultdict(int)
    for station in without:
        uncovered[station.village.parent_id] += 1
    names = _unit_names(plan, seats)
    if uncovered:
        names.update(Region.objects.filter(code__in=list(uncovered)).exclude(code__in=list(names)).values_list("code", "name"))
    gaps = area_gaps(dict(uncovered), {t.district_code: t.stations for t in plan.districts}, polseks, names)
    return GuardPlan(plan, stations, classes, names, without, gaps, changes_of(changes, stations))


def _unit_names(plan: planning.Plan, seats: dict[str, str]) -> dict[str, str]:
    """The name of each Polsek's area in the totals: its kecamatan, followed by those it covers
    ('Banjarangkan + Klungkung')."""
    units = [t.district_code for t in plan.districts]
    extra: dict[str, list[str]] = defaultdict(list)
    for kecamatan, seat in sorted(seats.items()):
        if seat in units:
            extra[seat].append(kecamatan)
    names = dict(Region.objects.filter(code__in=units + [c for codes in extra.values() for c in codes]).values_list("code", "name"))
    return {unit: " + ".join(names.get(code, code) for code in [unit, *extra[unit]]) for unit in units}


def posts_for(user: User, election: Election, within_area: str = "") -> tuple[planning.Plan, dict[int, tuple[str, str]], int]:
    """The same plan as `plan_for` without building the TPS rows (the situation room, map layers):
    the plan, the classes, and how many TPS no formation covers."""
    visible = _visible(user, election, within_area).order_by("village_id", "number")
    rows = visible.values_list("pk", "village_id", "village__parent_id", "access", "crossing", "latitude", "longitude")
    classes = classes_for(user, election, within_area)
    sites = [(sid, village, district, _island(access, crossing, village), lat, lon) for sid, village, district, access, crossing, lat, lon in rows]
    polseks = polseks_by_kecamatan()
    plan = _plan(election, classes, sites, polseks, seats_of(polseks))
    covered = sum(len(post.station_ids) for post in plan.posts)
    return plan, classes, len(sites) - covered


@dataclass
class PolsekArea:
    kecamatan: Region
    own: Agency | None  # the Polsek seated in the kecamatan, if there is one
    guard: Agency | None  # the Polsek that guards it: the covering one, else its own
    choices: list[Agency]  # the Polsek it may be handed to: its own, and those no other covers


def polsek_areas(user: User, district_code: str) -> list[PolsekArea]:
    """The kecamatan of the kabupaten/kota `district_code` with the Polsek guarding each, for a
    user who may set them, inside their area (nothing outside it); three queries."""
    require(user, Perm.MANAGE_POLSEK_AREAS)
    area = user.area_code
    if area is not None and not (district_code == area or district_code.startswith(area + ".")):
        return []
    kecamatan = list(Region.objects.filter(parent_id=district_code, level=Region.Level.DISTRICT).order_by("code"))
    polseks = {a.region_id: a for a in Agency.objects.filter(kind=Agency.Kind.POLSEK, region__parent_id=district_code).select_related("region")}
    covering = {c.kecamatan_id: c.polsek for c in PolsekCoverage.objects.filter(kecamatan__parent_id=district_code).select_related("polsek__region")}
    free = [a for code, a in sorted(polseks.items()) if code not in covering]
    rows = []
    for k in kecamatan:
        own = polseks.get(k.code)
        choices = sorted({a.pk: a for a in [*free, *([own] if own else [])]}.values(), key=lambda a: a.region_id)
        rows.append(PolsekArea(k, own, covering.get(k.code) or own, choices))
    return rows


def polres_of(user: User) -> Agency | None:
    """The Polres whose formation `user` manages: their own agency, or the Polres of their area."""
    if user.agency_id is not None and user.agency.kind == Agency.Kind.POLRES:
        return user.agency
    if user.area_code is None:
        return None
    return Agency.objects.filter(kind=Agency.Kind.POLRES, region_id=user.area_code).order_by("slug").first()


def personnel_of(election: Election, polres: Agency) -> list[tuple[str, str, Agency, PolsekPersonnel | None]]:
    """Per Polsek of the Polres's area: (its kecamatan code, name, Polsek, its personnel or None)."""
    polseks = polseks_by_kecamatan(polres.region_id)
    names = dict(Region.objects.filter(code__in=list(polseks)).values_list("code", "name"))
    stored = {p.agency_id: p for p in PolsekPersonnel.objects.filter(election=election, agency__in=list(polseks.values()))}
    # One row per Polsek, under its own kecamatan (a kecamatan it covers adds no row of its own).
    return [(code, names.get(code, code), polsek, stored.get(polsek.pk)) for code, polsek in sorted(polseks.items()) if polsek.region_id == code]


# -- Voting day's posts: plan against actual -----------------------------------------------------

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


def opening_time(election: Election) -> datetime:
    return datetime.combine(election.voting_date, OPENING, tzinfo=ZoneInfo(election.time_zone))


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
        return [row for row in self.rows if row.arrived_at is None or row.arrived_at > self.opening]


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
    return PostBoard(at, opening_time(election), rows, sorted(totals.values(), key=lambda t: t.polsek.region_id))


UNSTAFFED_NAMED = 5  # per Polsek, posts named one by one; beyond that one alert counts them


def situation_alerts(user: User, election: Election, now: datetime) -> list[Alert]:
    """Posts still unstaffed at TPS opening time (07:00 in the election's time zone), from then
    until the end of voting day: one alert per post, or one per Polsek when many are empty."""
    require(user, Perm.VIEW_GUARD_PLAN)
    opening = opening_time(election)
    if now < opening or timezone.localtime(now, opening.tzinfo).date() != election.voting_date:
        return []
    board = post_board(user, election, now)
    url = reverse("guard:posts", args=[election.slug])
    alerts, empty = [], defaultdict(list)
    for row in board.rows:
        if not row.staffed:
            empty[row.post.polsek].append(row)
    for polsek, rows in empty.items():
        if len(rows) > UNSTAFFED_NAMED:
            title = _("%(count)s pos pengamanan belum terisi setelah TPS dibuka") % {"count": len(rows)}
            alerts.append(Alert("danger", _("Pengamanan"), title, polsek.name, url, opening))
            continue
        for row in rows:
            title = _("Pos pengamanan belum terisi: Pos %(number)s (%(code)s)") % {"number": row.post.number, "code": row.post.code}
            where = ", ".join(f"TPS {s.number} {s.village.name}" for s in row.stations)
            alerts.append(Alert("danger", _("Pengamanan"), title, f"{polsek.name} · {where}", url, opening))
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
    `at`, for the situation room's posts layer once the plan is fixed; {} before."""
    tz = ZoneInfo(election.time_zone)
    found = {}
    for row in post_board(user, election, at).rows:
        state = _("terisi sejak %(at)s") % {"at": timezone.localtime(row.arrived_at, tz).strftime("%H:%M")} if row.staffed else _("kosong")
        tip = f"{_('Pos %(n)s') % {'n': row.post.number}} ({row.post.code}) · {state}"
        for station in row.stations:
            found[station.pk] = (row.post.level, tip)
    return found

"""The guard plan, computed from the current classes, formations and personnel."""

from collections import defaultdict
from dataclasses import dataclass, field

from sinergi.accounts.models import Agency, PolsekCoverage, User
from sinergi.accounts.permissions import Perm, require
from sinergi.elections.models import Election
from sinergi.guard import planning
from sinergi.guard.models import Formation, PolsekPersonnel
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import related_to, villages_within, within
from sinergi.risk.queries import SuggestionChange, changes_of, classes_for, classes_with_changes
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to


@dataclass
class GuardPlan:
    plan: planning.Plan
    stations: dict[int, Station]
    classes: dict[int, tuple[str, str]]  # station id -> (class, 'polisi' | 'saran')
    kecamatan_names: dict[str, str]
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
    return next((polres_by_region[c] for c in reversed(codes.lineage(code)) if c in polres_by_region), "")


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


@dataclass(frozen=True)
class PlanInputs:
    """What planning reads besides the TPS and their classes, loaded once (a national export
    plans 514 districts with it): each Polres's rules by its region, the police available per
    kecamatan, the Polsek answering for each kecamatan (`polseks_by_kecamatan`) and the seats of
    the covered ones (`seats_of`)."""

    rules_by_region: dict[str, dict[str, planning.PostRule]]
    personnel: dict[str, int]
    polseks: dict[str, Agency]
    seats: dict[str, str]


def plan_inputs(election: Election, area_code: str | None = None) -> PlanInputs:
    """The inputs of a plan of TPS within `area_code` (None: the whole country): the formations
    of the Polres at or above the area, the Polsek answering for its kecamatan and, for a
    kecamatan covered from outside the area, the covering Polsek at its own seat too."""
    polseks = polseks_by_kecamatan(area_code)
    for polsek in list(polseks.values()):
        polseks.setdefault(polsek.region_id, polsek)
    formations = Formation.objects.filter(related_to("agency__region__code", area_code), election=election).select_related("agency").prefetch_related("rules")
    rules_by_region = {f.agency.region_id: {r.level: planning.PostRule(r.police, r.stations, r.linmas) for r in f.rules.all()} for f in formations}
    staffed = {p.agency_id: p.available + p.reinforcements for p in PolsekPersonnel.objects.filter(election=election, agency__kind=Agency.Kind.POLSEK)}
    personnel = {code: staffed.get(polsek.pk, 0) for code, polsek in polseks.items()}
    return PlanInputs(rules_by_region, personnel, polseks, seats_of(polseks))


def plan_sites(classes: dict[int, tuple[str, str]], sites, inputs: PlanInputs) -> planning.Plan:
    """Posts and totals for `sites`: (id, village code, kecamatan code, island, lat, lon) per TPS.
    The planner's unit is the Polsek: a covered kecamatan's TPS go to the covering Polsek
    (`inputs.seats`), whose posts, needs and personnel then count them; `inputs.polseks`
    (kecamatan code -> Polsek, `polseks_by_kecamatan`) says whose personnel counts."""
    seats = inputs.seats
    # Each TPS goes to the formation of the Polres whose region is the longest prefix of its
    # village code: one pass over the TPS, however many Polres there are.
    members: dict[str, list[planning.PlanStation]] = defaultdict(list)
    for sid, village_code, kecamatan_code, island, lat, lon in sites:
        region = next((c for c in reversed(codes.lineage(village_code)) if c in inputs.rules_by_region), None)
        if region is not None:
            members[region].append(planning.PlanStation(sid, classes[sid][0], village_code, seats.get(kecamatan_code, kecamatan_code), island, lat, lon))
    posts: list[planning.Post] = []
    for region in sorted(members):
        for post in planning.plan_posts(members[region], inputs.rules_by_region[region]).posts:
            post.number = len(posts) + 1
            posts.append(post)
    return planning.Plan(posts=posts, kecamatans=planning.kecamatan_totals(posts, inputs.personnel))


def plan_for(user: User, election: Election, within_area: str = "", *, with_changes: bool = False) -> GuardPlan:
    """The plan over the TPS the user may see, or (`within_area`) those of a region inside that
    area: a national or provincial user plans one kabupaten at a time (docs/benchmarks.md).
    `with_changes`: also the TPS whose suggested class changed since the police set it (the page)."""
    visible = _visible(user, election, within_area)
    stations = {s.pk: s for s in visible}
    classes, changes = classes_with_changes(user, election, within_area) if with_changes else (classes_for(user, election, within_area), {})
    inputs = plan_inputs(election, within_area or user.area_code)
    polseks, seats = inputs.polseks, inputs.seats
    plan = plan_sites(classes, ((s.pk, s.village_id, s.village.parent_id, island_of(s), s.latitude, s.longitude) for s in stations.values()), inputs)
    covered = {sid for post in plan.posts for sid in post.station_ids}
    without = [s for sid, s in stations.items() if sid not in covered]
    uncovered: dict[str, int] = defaultdict(int)
    for station in without:
        uncovered[station.village.parent_id] += 1
    names = _unit_names(plan, seats)
    if uncovered:
        names.update(Region.objects.filter(code__in=list(uncovered)).exclude(code__in=list(names)).values_list("code", "name"))
    gaps = area_gaps(dict(uncovered), {t.kecamatan_code: t.stations for t in plan.kecamatans}, polseks, names)
    return GuardPlan(plan, stations, classes, names, without, gaps, changes_of(changes, stations))


def _unit_names(plan: planning.Plan, seats: dict[str, str]) -> dict[str, str]:
    """The name of each Polsek's area in the totals: its kecamatan, followed by those it covers
    ('Banjarangkan + Klungkung')."""
    units = [t.kecamatan_code for t in plan.kecamatans]
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
    sites = [(sid, village, kecamatan, _island(access, crossing, village), lat, lon) for sid, village, kecamatan, access, crossing, lat, lon in rows]
    plan = plan_sites(classes, sites, plan_inputs(election, within_area or user.area_code))
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
    kecamatan = list(Region.objects.filter(parent_id=district_code, level=Region.Level.KECAMATAN).order_by("code"))
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

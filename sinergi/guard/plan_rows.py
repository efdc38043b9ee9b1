"""The guard plan one district (kabupaten/kota) at a time, as plain rows: what the exports write
as it is planned, in constant memory, however wide the area (docs/benchmarks.md, "National
size"). Posts never leave a Polres's formation, and a formation is a Polres's, so planning each
district on its own gives the posts `plan_for` gives for the whole area; their numbers continue
from district to district in code order, as `plan_for` numbers them."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count

from sinergi.accounts.models import User
from sinergi.elections.models import Election
from sinergi.guard import planning
from sinergi.guard.queries import AreaGap, PlanInputs, _island, _unit_names, _visible, area_gaps, plan_inputs, plan_sites
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.risk.queries import classes_by_district, classes_for


@dataclass
class DistrictPlan:
    area: str
    plan: planning.Plan
    classes: dict[int, tuple[str, str]]  # station id -> (class, 'polisi' | 'saran')
    # (id, kecamatan code, kecamatan name, village code, village name, TPS number), in code order
    stations: list[tuple[int, str, str, str, str, int]]
    names: dict[str, str]  # a Polsek's unit (kecamatan code) -> its name ('Banjarangkan + Klungkung')


# A TPS's row as the plan reads it.
COLUMNS = ("pk", "village__parent_id", "village__parent__name", "village_id", "village__name", "number", "access", "crossing", "latitude", "longitude")


def district_plan(user: User, election: Election, area: str, inputs: PlanInputs, read: tuple[dict[int, tuple[str, str]], list[tuple]] | None = None) -> DistrictPlan:
    """The plan of the TPS the user may see within `area` ('' for the user's own area), from
    plain rows (`COLUMNS`): their classes and rows as `read` (from `classes_by_district`), else
    read here by a query for the TPS and `classes_for`; one query for the units' names."""
    if read is None:
        rows = list(_visible(user, election, area).order_by("village_id", "number").values_list(*COLUMNS))
        classes = classes_for(user, election, area)
    else:
        classes, rows = read
    plan = plan_sites(classes, ((r[0], r[3], r[1], _island(r[6], r[7], r[3]), r[8], r[9]) for r in rows), inputs)
    return DistrictPlan(area, plan, classes, [r[:6] for r in rows], _unit_names(plan, inputs.seats))


def _one_area(user: User, within_area: str) -> bool:
    """True when the area is a district or smaller: planned at once, not district by district."""
    area = within_area or user.area_code
    return area is not None and codes.level_of(area) >= codes.DISTRICT


def plan_gaps(user: User, election: Election, within_area: str, inputs: PlanInputs) -> list[AreaGap]:
    """`plan_for(...).gaps` without planning: TPS counted per village by the database, then per
    kecamatan those no formation covers, and per Polsek unit those planned where no Polsek answers."""
    per_village = _visible(user, election, within_area).order_by().values_list("village_id").annotate(n=Count("id"))
    uncovered: dict[str, int] = defaultdict(int)
    planned: dict[str, int] = defaultdict(int)
    for village, count in per_village.iterator(chunk_size=10000):
        kecamatan = codes.kecamatan_of(village)
        if any(code in inputs.rules_by_region for code in codes.lineage(village)):
            planned[inputs.seats.get(kecamatan, kecamatan)] += count
        else:
            uncovered[kecamatan] += count
    named = [*uncovered, *(code for code in planned if code not in inputs.polseks)]
    names = dict(Region.objects.filter(code__in=named).values_list("code", "name")) if named else {}
    return area_gaps(dict(uncovered), dict(planned), inputs.polseks, names)


@dataclass
class StreamedPlan:
    """The plan of a wide area, district by district (`districts()`, read once), with what the
    totals need gathered on the way: the Polsek units' totals and names."""

    user: User
    election: Election
    within_area: str = ""
    inputs: PlanInputs = field(init=False)
    gaps: list[AreaGap] = field(init=False)
    totals: dict[str, planning.KecamatanTotals] = field(init=False, default_factory=dict)
    names: dict[str, str] = field(init=False, default_factory=dict)

    def __post_init__(self):
        self.inputs = plan_inputs(self.election, self.within_area or self.user.area_code)
        self.gaps = plan_gaps(self.user, self.election, self.within_area, self.inputs)

    def districts(self) -> Iterator[DistrictPlan]:
        """The plan of the area when it is a district or smaller; else of every district inside it
        with a TPS, in code order, their TPS and classes read in one pass over the area
        (`classes_by_district`)."""
        if _one_area(self.user, self.within_area):
            reads = iter([(self.within_area, None)])
        else:
            reads = ((area, (classes, rows)) for area, classes, rows in classes_by_district(self.user, self.election, self.within_area, COLUMNS[1:]))
        posts = 0
        for area, read in reads:
            district = district_plan(self.user, self.election, area, self.inputs, read)
            for post in district.plan.posts:
                post.number += posts
            posts += len(district.plan.posts)
            self.names.update(district.names)
            for entry in district.plan.kecamatans:
                total = self.totals.setdefault(entry.kecamatan_code, planning.KecamatanTotals(entry.kecamatan_code))
                total.posts, total.stations = total.posts + entry.posts, total.stations + entry.stations
                total.police, total.linmas = total.police + entry.police, total.linmas + entry.linmas
            yield district

    def kecamatan_totals(self) -> list[planning.KecamatanTotals]:
        """Per Polsek unit over every district read so far, in code order, against its police."""
        for code, entry in self.totals.items():
            entry.available_police = self.inputs.personnel.get(code, 0)
            entry.shortage = max(0, entry.police - entry.available_police)
        return [self.totals[code] for code in sorted(self.totals)]

from ninja import Query, Router, Schema

from sinergi.elections.queries import election_by_slug
from sinergi.guard.queries import plan_for

router = Router(tags=["guard"])


class GuardPostOut(Schema):
    number: int
    level: str
    district_code: str
    station_ids: list[int]
    police: int
    linmas: int


class TotalsOut(Schema):
    district_code: str
    posts: int
    stations: int
    police: int
    linmas: int
    available_police: int
    shortage: int


class PlanGapOut(Schema):
    """A kecamatan whose TPS no formation covers (`reason` "formasi"; `polres` names the Polres
    expected to set one, empty when none answers for the area) or no Polsek answers for ("polsek")."""

    kecamatan_code: str
    kecamatan_name: str
    stations: int
    reason: str
    polres: str


class PlanOut(Schema):
    police: int
    linmas: int
    districts: list[TotalsOut]
    posts: list[GuardPostOut]
    gaps: list[PlanGapOut]


@router.get("/plan", response=PlanOut, summary="The guard plan over the caller's area: posts and totals per Polsek")
def read_plan(request, election: str = Query(..., pattern=r"^[a-z0-9-]+$", max_length=60)):
    guard = plan_for(request.auth, election_by_slug(election))
    plan = guard.plan
    return {"police": plan.police, "linmas": plan.linmas, "districts": plan.districts, "posts": plan.posts, "gaps": guard.gaps}

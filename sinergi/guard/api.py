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


class PlanOut(Schema):
    police: int
    linmas: int
    districts: list[TotalsOut]
    posts: list[GuardPostOut]


@router.get("/plan", response=PlanOut, summary="The guard plan over the caller's area: posts and totals per Polsek")
def read_plan(request, election: str = Query(..., pattern=r"^[a-z0-9-]+$", max_length=60)):
    plan = plan_for(request.auth, election_by_slug(election)).plan
    return {"police": plan.police, "linmas": plan.linmas, "districts": plan.districts, "posts": plan.posts}

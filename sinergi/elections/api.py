from datetime import date
from decimal import Decimal

from ninja import Router, Schema

from sinergi.elections.queries import all_elections, election_by_slug

router = Router(tags=["elections"])


class StageOut(Schema):
    code: str
    name: str
    starts_on: date
    ends_on: date


class BallotTypeOut(Schema):
    code: str
    name: str
    colour_name: str
    colour_hex: str


class ElectionOut(Schema):
    slug: str
    kind: str
    name: str
    voting_date: date
    time_zone: str
    max_voters_per_station: int
    ballot_reserve_percent: Decimal
    stages: list[StageOut]
    ballot_types: list[BallotTypeOut]


@router.get("", response=list[ElectionOut], summary="Elections with their stages, rules and ballot types")
def list_elections(request):
    return list(all_elections().prefetch_related("stages", "ballot_types"))


@router.get("/{slug}", response=ElectionOut)
def get_election(request, slug: str):
    return election_by_slug(slug)

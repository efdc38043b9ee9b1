"""The home page lands on the election in progress, else the next one, else the latest past one; never
on one without TPS in the user's area when another has some."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.elections.landing import Span, landing_election
from sinergi.elections.models import Election, Stage
from sinergi.stations.models import Station
from tests import personas

WITA = ZoneInfo("Asia/Makassar")


def landing(client_of, username: str) -> str:
    response = client_of(username).get("/")
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2024, 1, 10, 9, tzinfo=WITA), "pemilu-2024"),  # Pemilu's campaign: in progress
        (datetime(2024, 2, 14, 9, tzinfo=WITA), "pemilu-2024"),  # voting day
        (datetime(2024, 10, 1, 9, tzinfo=WITA), "pilkada-2024"),  # Pilkada's campaign
        (datetime(2024, 5, 1, 9, tzinfo=WITA), "pilkada-2024"),  # between the two: the next one
        (datetime(2022, 1, 1, 9, tzinfo=WITA), "pemilu-2024"),  # before both: the next one
        (datetime(2026, 12, 4, 9, tzinfo=WITA), "pilkada-2024"),  # after both: the latest
    ],
)
def test_home_lands_on_the_election_in_progress_else_the_next_else_the_latest(client_of, on, moment, expected):
    on(moment)
    assert landing(client_of, personas.POLRES) == f"/pemilihan/{expected}/"


@pytest.mark.django_db
def test_home_skips_an_election_without_tps_in_the_users_area(client_of, on):
    # A by-election in progress with a single TPS, on the mainland (Dawan): Bawaslu (whole district)
    # lands there, Panwascam and Polsek Nusa Penida on the latest election with TPS on their island.
    election = Election.objects.create(
        slug="pilkades-2025", kind="pilkada", name="Pemilihan susulan 2025", voting_date=date(2025, 6, 10), max_voters_per_station=600, ballot_reserve_percent=2
    )
    Stage.objects.create(election=election, code="pemungutan", name="Pemungutan suara", starts_on=date(2025, 6, 1), ends_on=date(2025, 6, 20))
    dawan = Station.objects.filter(village__code__startswith="51.05.04.").first().village
    Station.objects.create(election=election, village=dawan, number=1, voters=200)
    on(datetime(2025, 6, 10, 9, tzinfo=WITA))
    assert landing(client_of, personas.BAWASLU) == "/pemilihan/pilkades-2025/"
    assert landing(client_of, personas.PANWASCAM_NUSA_PENIDA) == "/pemilihan/pilkada-2024/"
    assert landing(client_of, personas.POLSEK_NUSA_PENIDA) == "/pemilihan/pilkada-2024/"
    # The picker still opens it on request.
    assert client_of(personas.PANWASCAM_NUSA_PENIDA).get("/?pemilihan=pilkades-2025")["Location"] == "/pemilihan/pilkades-2025/"


@pytest.mark.django_db
def test_the_situation_rooms_short_address_opens_the_same_election_as_home(client_of, on):
    on(datetime(2024, 1, 10, 9, tzinfo=WITA))
    assert client_of(personas.PANWASCAM_NUSA_PENIDA).get("/situasi/")["Location"] == "/pemilihan/pemilu-2024/situasi/"


@pytest.mark.django_db
def test_an_account_without_agency_lands_on_the_election_in_progress(client_of, on):
    on(datetime(2024, 1, 10, 9, tzinfo=WITA))
    assert landing(client_of, personas.NO_AGENCY) == "/pemilihan/pemilu-2024/"


def test_the_rule_on_plain_data():
    spans = [
        Span("a", date(2024, 1, 1), date(2024, 3, 1), has_data=True),
        Span("b", date(2024, 2, 1), date(2024, 2, 10), has_data=False),
        Span("c", date(2025, 1, 1), date(2025, 2, 1), has_data=True),
    ]
    assert landing_election(spans, date(2024, 2, 5)) == "a"  # b is in progress too, but has no data
    assert landing_election(spans, date(2024, 6, 1)) == "c"
    assert landing_election(spans, date(2026, 1, 1)) == "c"
    assert landing_election([Span("b", date(2024, 2, 1), date(2024, 2, 10), has_data=False)], date(2026, 1, 1)) == "b"
    assert landing_election([], date(2026, 1, 1)) is None


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def spans(draw):
    result = []
    for index in range(draw(st.integers(min_value=1, max_value=6))):
        first = draw(days)
        result.append(Span(f"e{index}", first, first + timedelta(days=draw(st.integers(min_value=0, max_value=400))), has_data=draw(st.booleans())))
    return result


@given(spans(), days)
def test_the_landing_rule_holds_for_any_calendar(all_spans, today):
    slug = landing_election(all_spans, today)
    chosen = next(span for span in all_spans if span.slug == slug)
    candidates = [span for span in all_spans if span.has_data] or all_spans
    assert chosen in candidates  # data first
    in_progress = [span for span in candidates if span.first_day <= today <= span.last_day]
    if in_progress:
        assert chosen in in_progress
    elif any(span.first_day > today for span in candidates):
        assert chosen.first_day > today and chosen.first_day == min(span.first_day for span in candidates if span.first_day > today)
    else:
        assert chosen.last_day == max(span.last_day for span in candidates)
    assert landing_election(list(reversed(all_spans)), today) == slug  # order does not matter


@pytest.mark.django_db
def test_a_ptps_with_an_active_post_lands_on_the_field_app(client_of):
    from sinergi.supervisors.demo import FIELD_ACCOUNT

    assert landing(client_of, FIELD_ACCOUNT) == "/lapangan/"
    # The header's selector still opens an election's overview for them.
    assert client_of(FIELD_ACCOUNT).get("/?pemilihan=pemilu-2024")["Location"] == "/pemilihan/pemilu-2024/"
    # A field account with no post (not yet on the roster) lands on an election as before.
    assert landing(client_of, personas.PTPS_PED).startswith("/pemilihan/")

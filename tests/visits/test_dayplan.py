"""The pure day plan of a joint visit: properties over any timetable and any tour."""

from hypothesis import given
from hypothesis import strategies as st

from sinergi.visits.dayplan import DAY_END, Boat, DayPlan, Refusal, Trip, plan

minutes = st.integers(min_value=0, max_value=DAY_END - 1)
departures = st.lists(minutes, min_size=0, max_size=6).map(tuple)


@st.composite
def boats(draw, name="Kapal"):
    deps = draw(departures)
    closed = draw(st.sets(st.sampled_from(deps), max_size=len(deps))) if deps else set()
    return Boat(name, deps, draw(st.integers(min_value=10, max_value=180)), frozenset(closed))


@st.composite
def trips(draw, crossing=True):
    stations = draw(st.integers(min_value=1, max_value=6))
    legs = tuple(draw(st.lists(st.integers(min_value=0, max_value=90), min_size=stations + 1, max_size=stations + 1)))
    return Trip(
        start_min=draw(st.integers(min_value=5 * 60, max_value=10 * 60)),
        legs=legs,
        on_site_min=draw(st.integers(min_value=10, max_value=120)),
        lead_min=draw(st.integers(min_value=0, max_value=90)) if crossing else 0,
        boarding_min=draw(st.integers(min_value=0, max_value=45)),
        out=draw(boats("Berangkat")) if crossing else None,
        back=draw(boats("Kembali")) if crossing else None,
    )


def _feasible_pair(trip: Trip) -> bool:
    """Brute force: is there any open departure out and any open departure back that make the day?"""
    for out in trip.out.open_departures():
        if out < trip.start_min + trip.lead_min + trip.boarding_min:
            continue
        landing = out + trip.out.duration_min + sum(trip.legs) + trip.on_site_min * (len(trip.legs) - 1)
        if any(b >= landing + trip.boarding_min and b + trip.back.duration_min <= DAY_END for b in trip.back.open_departures()):
            return True
    return False


@given(trips())
def test_a_plan_is_made_exactly_when_some_pair_of_departures_works(trip):
    result = plan(trip)
    assert isinstance(result, DayPlan) == _feasible_pair(trip)
    if isinstance(result, Refusal):
        assert result.reason  # said in words, for the form


@given(trips())
def test_the_plan_takes_open_departures_in_the_timetable_and_keeps_the_order(trip):
    result = plan(trip)
    if isinstance(result, Refusal):
        return
    assert result.out_departure in trip.out.departures and result.out_departure not in trip.out.closed
    assert result.back_departure in trip.back.departures and result.back_departure not in trip.back.closed
    assert result.out_departure >= trip.start_min + trip.lead_min + trip.boarding_min
    assert result.stops[0].arrive == result.out_departure + trip.out.duration_min + trip.legs[0]
    for stop, following, leg in zip(result.stops, result.stops[1:], trip.legs[1:], strict=False):
        assert stop.leave == stop.arrive + trip.on_site_min
        assert following.arrive == stop.leave + leg
    assert result.back_departure >= result.stops[-1].leave + trip.legs[-1] + trip.boarding_min
    assert result.home == result.back_departure + trip.back.duration_min <= DAY_END


@given(trips())
def test_the_earliest_boat_out_is_taken(trip):
    result = plan(trip)
    if isinstance(result, DayPlan):
        earlier = [d for d in trip.out.open_departures() if trip.start_min + trip.lead_min + trip.boarding_min <= d < result.out_departure]
        assert earlier == []


@given(trips(), st.integers(min_value=0, max_value=90))
def test_one_more_tps_never_turns_a_refusal_into_a_plan(trip, extra_leg):
    longer = Trip(trip.start_min, (*trip.legs[:-1], extra_leg, trip.legs[-1]), trip.on_site_min, trip.lead_min, trip.boarding_min, trip.out, trip.back)
    if isinstance(plan(trip), Refusal):
        assert isinstance(plan(longer), Refusal)


@given(trips(crossing=False))
def test_on_the_mainland_the_tour_runs_from_the_start(trip):
    result = plan(trip)
    total = trip.start_min + sum(trip.legs) + trip.on_site_min * (len(trip.legs) - 1)
    if total > DAY_END:
        assert isinstance(result, Refusal)
    else:
        assert result.out_departure is None and result.home == total and len(result.stops) == len(trip.legs) - 1


def test_the_lembongan_boat_cannot_bring_a_team_back():
    """The demo network's boat to Nusa Lembongan leaves at 09.00 and 11.00: a team landing at 10.15
    cannot visit a TPS and board the 11.00 back."""
    boat = Boat("Kusamba – Nusa Lembongan", (540, 660), 75)
    result = plan(Trip(start_min=420, legs=(10, 10), on_site_min=45, lead_min=20, boarding_min=30, out=boat, back=boat))
    assert isinstance(result, Refusal)
    assert "tidak dapat kembali hari yang sama" in result.reason and "11.00" in result.reason

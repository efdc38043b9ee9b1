"""The incident state machine as rules (supervisors/incident_flow.py), with property tests."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.supervisors import incident_flow as flow

steps = st.lists(st.tuples(st.sampled_from(flow.ACTIONS), st.sampled_from(flow.SIDES)), max_size=30)


@given(steps)
def test_any_sequence_of_steps_keeps_the_incident_in_a_known_state_on_the_documented_path(sequence):
    state, path = flow.NEW, [flow.NEW]
    for action, side in sequence:
        if flow.allowed(state, action, side):
            after = flow.next_state(state, action, side)
            assert after in flow.STATES
            if action == flow.ESCALATE:
                assert after == state and side == flow.SYSTEM  # escalation adds an owner, not a state
            if after != state:
                path.append(after)
            state = after
        else:
            with pytest.raises(flow.TransitionRefused):
                flow.next_state(state, action, side)
    # The police answer only what was referred, in order; a final state is final.
    for before, after in zip(path, path[1:], strict=False):
        assert before not in flow.FINAL
        assert (before, after) in {
            (flow.NEW, flow.REFERRED), (flow.NEW, flow.CLOSED), (flow.REFERRED, flow.ACKNOWLEDGED), (flow.REFERRED, flow.CLOSED),
            (flow.ACKNOWLEDGED, flow.ON_SITE), (flow.ACKNOWLEDGED, flow.CLOSED), (flow.ON_SITE, flow.RESOLVED),
        }  # fmt: skip


@given(st.sampled_from(flow.STATES), st.sampled_from(flow.ACTIONS), st.sampled_from(flow.SIDES))
def test_who_may_take_which_step(state, action, side):
    if not flow.allowed(state, action, side):
        return
    expected = {
        flow.REFER: flow.SUPERVISORS,
        flow.CLOSE: flow.SUPERVISORS,
        flow.ACKNOWLEDGE: flow.POLICE,
        flow.ARRIVE: flow.POLICE,
        flow.RESOLVE: flow.POLICE,
        flow.ESCALATE: flow.SYSTEM,
    }
    assert side == expected[action]


def test_the_table_in_words():
    assert [m.action for m in flow.moves(flow.NEW, flow.SUPERVISORS)] == [flow.REFER, flow.CLOSE]
    assert flow.moves(flow.NEW, flow.POLICE) == ()
    assert flow.next_state(flow.ON_SITE, flow.RESOLVE, flow.POLICE) == flow.RESOLVED
    assert not flow.allowed(flow.ON_SITE, flow.CLOSE, flow.SUPERVISORS)  # the police are there: theirs to resolve
    assert not flow.allowed(flow.REFERRED, flow.RESOLVE, flow.POLICE)  # resolved only once someone got there
    assert flow.moves(flow.RESOLVED) == () and flow.moves(flow.CLOSED) == ()


moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))


@given(moments, st.integers(1, 600), st.integers(0, 600), st.integers(-10, 600), st.integers(-2000, 2000))
def test_due_times_and_the_clock(referred, acknowledge, extra, crossing, offset):
    timer = flow.Timer(acknowledge, acknowledge + extra)
    ack_due, arrive_due = flow.due_times(referred, timer, crossing)
    assert ack_due == referred + timedelta(minutes=acknowledge)
    assert arrive_due == referred + timedelta(minutes=timer.arrive + max(crossing, 0))  # the crossing lengthens the arrival only
    now = referred + timedelta(minutes=offset)
    # Waiting for the acknowledgement: the first clock to run out is the acknowledgement's.
    assert flow.overdue(flow.REFERRED, ack_due, arrive_due, now) == (flow.ACKNOWLEDGE if now >= ack_due else "")
    assert flow.overdue(flow.ACKNOWLEDGED, ack_due, arrive_due, now) == (flow.ARRIVE if now >= arrive_due else "")
    for state in (flow.NEW, flow.ON_SITE, flow.RESOLVED, flow.CLOSED):
        assert flow.overdue(state, ack_due, arrive_due, now) == ""
        assert not flow.escalates(state, False, ack_due, arrive_due, now)
    assert flow.escalates(flow.REFERRED, False, ack_due, arrive_due, now) == (now >= ack_due)
    assert not flow.escalates(flow.REFERRED, True, ack_due, arrive_due, now)  # once only

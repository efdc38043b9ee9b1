"""The deadline engine against hand-computed cases, and its properties.

Each expected date below was counted by hand on a printed calendar: Saturdays and Sundays, the
national holidays (election days included), and cuti bersama where the case says so."""

import re
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.cases.calendars import indonesian_calendar
from sinergi.cases.deadlines import PEMILU_RULES, PILKADA_RULES, RULES, Calendar, Counting, Rule, Unit, compute, compute_all

WITH_LEAVE = indonesian_calendar(range(2019, 2027))
WITHOUT_LEAVE = indonesian_calendar(range(2019, 2027), collective_leave_is_day_off=False)
PEMILU = {rule.code: rule for rule in PEMILU_RULES}
PILKADA = {rule.code: rule for rule in PILKADA_RULES}

CASES = [
    # (why, rule, start, calendar, first day counts, last day)
    ("Bawaslu's own example: set Tue 21 May 2019, seven working days with the 21st", PEMILU["laporan"], date(2019, 5, 21), WITH_LEAVE, True, date(2019, 5, 29)),
    ("the next day as day one: Ascension Day (Thu 30 May 2019) is skipped", PEMILU["laporan"], date(2019, 5, 21), WITH_LEAVE, False, date(2019, 5, 31)),
    ("known on cuti bersama (Fri 9 Feb 2024): Imlek, the weekend and voting day 14 Feb skipped", PEMILU["laporan"], date(2024, 2, 9), WITH_LEAVE, True, date(2024, 2, 21)),
    ("the same when cuti bersama is a working day: the 9th is day one", PEMILU["laporan"], date(2024, 2, 9), WITHOUT_LEAVE, True, date(2024, 2, 20)),
    ("known on a Saturday: Monday is day one", PEMILU["laporan"], date(2024, 2, 17), WITH_LEAVE, True, date(2024, 2, 27)),
    # "setelah laporan diterima": day one is the next day, whatever the setting says.
    ("initial review, received Wed 7 Feb 2024: Isra Mikraj 8th, cuti bersama 9th, the weekend; Mon 12 and Tue 13", PEMILU["kajian_awal"], date(2024, 2, 7), WITH_LEAVE, True, date(2024, 2, 13)),
    ("initial review when cuti bersama is worked: Fri 9 and Mon 12", PEMILU["kajian_awal"], date(2024, 2, 7), WITHOUT_LEAVE, True, date(2024, 2, 12)),
    ("14 working days from Tue 2 Apr 2024 over Lebaran (8–15 Apr: holidays and cuti bersama)", PEMILU["putusan_diperpanjang"], date(2024, 4, 1), WITH_LEAVE, True, date(2024, 4, 29)),
    ("14 working days over Lebaran 2024, cuti bersama worked", PEMILU["putusan_diperpanjang"], date(2024, 4, 1), WITHOUT_LEAVE, True, date(2024, 4, 23)),
    ("police investigation, 14 calendar days 'sejak diterimanya laporan', over voting day", PEMILU["penyidikan"], date(2024, 2, 10), WITH_LEAVE, True, date(2024, 2, 23)),
    ("Pilkada report, 7 calendar days from voting day Wed 27 Nov 2024", PILKADA["laporan"], date(2024, 11, 27), WITH_LEAVE, True, date(2024, 12, 3)),
    ("Pilkada action, received Thu 28 Nov: 29, 30 Nov, 1 Dec — may end on a Sunday", PILKADA["putusan"], date(2024, 11, 28), WITH_LEAVE, True, date(2024, 12, 1)),
    ("Pilkada action with more information, 3 + 2 days from Sat 30 Nov", PILKADA["putusan_diperpanjang"], date(2024, 11, 29), WITH_LEAVE, True, date(2024, 12, 4)),
    ("Pilkada report when the setting makes the next day day one", PILKADA["laporan"], date(2024, 11, 27), WITH_LEAVE, False, date(2024, 12, 4)),
    ("district court, 7 days 'setelah pelimpahan': from the next day", PEMILU["putusan_pn"], date(2024, 3, 1), WITH_LEAVE, True, date(2024, 3, 8)),
]


def test_each_rule_counts_day_one_as_its_statute_words_it():
    # Pilkada, "paling lama 3 hari setelah laporan diterima": received Mon 25 Nov 2024, the days
    # are 26, 27 and 28 Nov — Bawaslu acts by Thu 28 Nov (not 27 Nov).
    pilkada = compute(PILKADA["putusan"], date(2024, 11, 25), WITH_LEAVE)
    assert pilkada.due == date(2024, 11, 28) and not pilkada.first_day_counts
    assert compute(PILKADA["putusan_diperpanjang"], date(2024, 11, 25), WITH_LEAVE).due == date(2024, 11, 30)
    # "sejak diketahui": Bawaslu's own example, known Tue 21 May 2019, 7 working days → Wed 29 May 2019.
    bawaslu = compute(PEMILU["laporan"], date(2019, 5, 21), WITH_LEAVE)
    assert bawaslu.due == date(2019, 5, 29) and bawaslu.first_day_counts


def test_the_setting_overrides_only_the_rules_worded_sejak():
    assert compute(PEMILU["laporan"], date(2019, 5, 21), WITH_LEAVE, first_day_counts=False).due == date(2019, 5, 31)
    assert compute(PILKADA["putusan"], date(2024, 11, 25), WITH_LEAVE, first_day_counts=True).due == date(2024, 11, 28)
    assert compute(PILKADA["putusan"], date(2024, 11, 25), WITH_LEAVE, first_day_counts=False).due == date(2024, 11, 28)


def test_every_rule_states_its_wording_and_the_counting_matches_it():
    for rules in RULES.values():
        for rule in rules:
            assert rule.wording, rule.code
            assert re.search(rf"\b{rule.counting}\b", rule.wording), rule.code


def test_the_computation_shows_the_statutes_wording_beside_it():
    text = compute(PILKADA["putusan"], date(2024, 11, 25), WITH_LEAVE).computation()
    assert text == (
        "3 hari kalender setelah Senin, 25 November 2024 (dihitung mulai hari berikutnya; "
        'bunyi ketentuan: "paling lama 3 hari setelah laporan diterima"): hari terakhir Kamis, 28 November 2024'
    )
    overridden = compute(PEMILU["laporan"], date(2019, 5, 21), WITH_LEAVE, first_day_counts=False).computation()
    assert "(dihitung mulai hari berikutnya menurut pengaturan; bunyi ketentuan:" in overridden


@pytest.mark.parametrize(("why", "rule", "start", "calendar", "first_day_counts", "expected"), CASES, ids=[case[0] for case in CASES])
def test_hand_computed_deadlines(why, rule, start, calendar, first_day_counts, expected):
    assert compute(rule, start, calendar, first_day_counts=first_day_counts).due == expected


def test_the_computation_shown_names_the_days_skipped_and_the_basis_is_kept():
    deadline = compute(PEMILU["laporan"], date(2024, 2, 9), WITH_LEAVE)
    text = deadline.computation()
    assert text.startswith(
        "7 hari kerja sejak Jumat, 9 Februari 2024 (hari itu dihitung hari pertama; bunyi ketentuan: "
        '"paling lama 7 hari kerja sejak diketahui dan/atau ditemukannya pelanggaran"): hari terakhir Rabu, 21 Februari 2024'
    )
    assert "09-02 (cuti bersama: Tahun Baru Imlek)" in text and "10-02 (Tahun Baru Imlek)" in text and "14-02 (Hari Pemilihan Umum)" in text
    assert deadline.rule.basis == "UU 7/2017 tentang Pemilihan Umum, Pasal 454; Perbawaslu 7/2022"


def test_the_24_hour_limit_runs_from_the_moment():
    deadline = compute(PEMILU["penerusan"], datetime(2024, 2, 14, 16, 0), WITH_LEAVE)
    assert deadline.due == datetime(2024, 2, 15, 16, 0)
    assert not deadline.is_late(datetime(2024, 2, 15, 16, 0)) and deadline.is_late(datetime(2024, 2, 15, 16, 1))
    assert deadline.computation() == "24 jam sejak 14-02-2024 16.00 = 15-02-2024 16.00"
    with pytest.raises(TypeError):
        compute(PEMILU["penerusan"], date(2024, 2, 14), WITH_LEAVE)


def test_a_report_filed_after_the_last_day_is_late():
    deadline = compute(PEMILU["laporan"], date(2019, 5, 21), WITH_LEAVE)
    assert not deadline.is_late(date(2019, 5, 29)) and deadline.is_late(date(2019, 5, 30))
    assert deadline.days_left(date(2019, 5, 27)) == 2 and deadline.days_left(date(2019, 5, 31)) == -2


def test_an_administrators_extra_day_off_moves_the_deadline():
    decree = WITH_LEAVE.with_days_off({date(2024, 2, 13): "Keputusan Bupati: libur daerah"})
    deadline = compute(PEMILU["laporan"], date(2024, 2, 9), decree)
    assert deadline.due == date(2024, 2, 22) and (date(2024, 2, 13), "Keputusan Bupati: libur daerah") in deadline.skipped


def test_every_rule_has_a_legal_basis_and_a_known_start():
    for kind, rules in RULES.items():
        assert len({rule.code for rule in rules}) == len(rules), kind
        for rule in rules:
            assert rule.basis and rule.amount >= 1 and rule.counted_from
    starts = {"diketahui": date(2024, 2, 9), "diterima": date(2024, 2, 12)}
    assert [d.rule.code for d in compute_all(PEMILU_RULES, starts, WITH_LEAVE)] == ["temuan", "laporan", "kajian_awal"]


# Properties, over any start in 2019–2026 and any length up to 30.
starts = st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 6, 30))
lengths = st.integers(min_value=1, max_value=30)


@given(start=starts, amount=lengths, first=st.booleans(), leave=st.booleans())
@settings(max_examples=300, deadline=None)
def test_a_working_day_deadline_never_lands_on_a_day_off(start, amount, first, leave):
    calendar = WITH_LEAVE if leave else WITHOUT_LEAVE
    deadline = compute(Rule("x", "x", amount, Unit.WORKING_DAYS, "diketahui", "x"), start, calendar, first_day_counts=first)
    assert calendar.why_off(deadline.due) is None
    assert deadline.due >= start
    counted = sum(calendar.why_off(start + timedelta(days=n)) is None for n in range(0 if first else 1, (deadline.due - start).days + 1))
    assert counted == amount


@given(start=starts, amount=lengths, extra=st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 12, 31)), leave=st.booleans())
@settings(max_examples=300, deadline=None)
def test_adding_a_holiday_never_makes_a_deadline_earlier(start, amount, extra, leave):
    calendar = WITH_LEAVE if leave else WITHOUT_LEAVE
    rule = Rule("x", "x", amount, Unit.WORKING_DAYS, "diketahui", "x")
    before = compute(rule, start, calendar).due
    after = compute(rule, start, calendar.with_days_off({extra: "libur tambahan"})).due
    assert after >= before
    assert (after > before) == (start <= extra <= before and calendar.why_off(extra) is None)


@given(start=starts, amount=lengths)
@settings(max_examples=100, deadline=None)
def test_calendar_days_ignore_days_off(start, amount):
    rule = Rule("x", "x", amount, Unit.DAYS, "diketahui", "x")
    assert compute(rule, start, WITH_LEAVE).due == compute(rule, start, Calendar()).due == start + timedelta(days=amount - 1)


@given(start=starts, amount=lengths, unit=st.sampled_from([Unit.WORKING_DAYS, Unit.DAYS]))
@settings(max_examples=200, deadline=None)
def test_a_limit_worded_setelah_is_one_worded_sejak_from_the_next_day(start, amount, unit):
    after = Rule("x", "x", amount, unit, "diterima", "x", "x hari setelah x", Counting.AFTER)
    since = Rule("x", "x", amount, unit, "diterima", "x", "x hari sejak x", Counting.SINCE)
    assert compute(after, start, WITH_LEAVE).due == compute(since, start + timedelta(days=1), WITH_LEAVE).due

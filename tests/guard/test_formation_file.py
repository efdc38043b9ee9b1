"""The formation file's rules (guard/formation_file.py, pure): property tests and the Polsek lookup."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.core.tabular import Table
from sinergi.guard.formation_file import (
    FORMATION_COLUMNS,
    LEVEL_NAMES,
    LEVELS,
    MAX_LINMAS_PER_POST,
    MAX_POLICE_PER_POST,
    MAX_STATIONS_PER_POST,
    PERSONNEL_COLUMNS,
    PolsekRef,
    find_polsek,
    parse_formation,
    parse_personnel,
)

rule = st.tuples(
    st.integers(min_value=1, max_value=MAX_POLICE_PER_POST),
    st.integers(min_value=1, max_value=MAX_STATIONS_PER_POST),
    st.integers(min_value=0, max_value=MAX_LINMAS_PER_POST),
)
rules_strategy = st.fixed_dictionaries({level: rule for level in LEVELS})


def formation_table(rows: list[tuple[str, object, object, object]]) -> Table:
    # Data rows start under a title and a header, as in the template (row 3).
    return Table(
        headers=list(FORMATION_COLUMNS),
        rows=[(n + 3, dict(zip(FORMATION_COLUMNS, (str(v) for v in row), strict=True))) for n, row in enumerate(rows)],
        header_row=2,
    )


@settings(max_examples=100, deadline=None)
@given(rules_strategy, st.permutations(LEVELS), st.sampled_from(["name", "key", "upper"]))
def test_any_valid_formation_reads_back_exactly_in_any_row_order(rules, order, spelling):
    def written(level):
        return {"name": LEVEL_NAMES[level], "key": level, "upper": LEVEL_NAMES[level].upper().replace(" ", "-")}[spelling]

    parsed, errors = parse_formation(formation_table([(written(level), *rules[level]) for level in order]))
    assert errors == [] and parsed == rules


@settings(max_examples=100, deadline=None)
@given(rules_strategy, st.sampled_from(LEVELS), st.sampled_from(["polisi_per_pos", "tps_per_pos", "linmas_per_pos"]), st.integers(min_value=101, max_value=10**6))
def test_one_number_out_of_bounds_is_named_and_nothing_is_returned(rules, level, column, value):
    rows = []
    for current in LEVELS:
        numbers = dict(zip(("polisi_per_pos", "tps_per_pos", "linmas_per_pos"), rules[current], strict=True))
        if current == level:
            numbers[column] = value
        rows.append((current, numbers["polisi_per_pos"], numbers["tps_per_pos"], numbers["linmas_per_pos"]))
    parsed, errors = parse_formation(formation_table(rows))
    assert parsed == {}
    assert [(e.row, e.column) for e in errors] == [(LEVELS.index(level) + 3, column)]
    assert f" {value} di luar batas " in errors[0].message


POLSEKS = [PolsekRef("polsek-nusa-penida", "Polsek Nusa Penida", ("51.05.01",)), PolsekRef("polsek-dawan", "Polsek Dawan", ("51.05.04",))]
KECAMATAN = {"51.05.01": "Nusa Penida", "51.05.02": "Banjarangkan", "51.05.04": "Dawan"}


def test_a_polsek_is_found_by_its_kecamatan_its_name_or_its_slug():
    for code, text in (("51.05.04", ""), ("", "Polsek Dawan"), ("", "dawan"), ("", "polsek-dawan"), ("51.05.04", "POLSEK  DAWAN")):
        found, column, message = find_polsek(code, text, POLSEKS, KECAMATAN, "Polres Klungkung")
        assert (found, column, message) == (POLSEKS[1], "", ""), (code, text)
    assert find_polsek("51.05.02", "", POLSEKS, KECAMATAN, "Polres Klungkung")[2].startswith("Kecamatan Banjarangkan (51.05.02) belum punya Polsek")
    assert find_polsek("51.5.1", "", POLSEKS, KECAMATAN, "Polres Klungkung")[2].startswith("Kode kecamatan '51.5.1' tidak berbentuk kode Kemendagri")


def test_a_polsek_covering_several_kecamatan_is_one_row():
    """Ready for a Polsek that answers for several kecamatan: either code finds it, and two rows for
    it are refused as the same Polsek twice."""
    wide = [PolsekRef("polsek-timur", "Polsek Timur", ("51.05.02", "51.05.04"))]
    table = Table(
        headers=list(PERSONNEL_COLUMNS),
        rows=[(3, {"kode_kecamatan": "51.05.02", "personel_tersedia": "40"}), (4, {"kode_kecamatan": "51.05.04", "personel_tersedia": "40"})],
        header_row=2,
    )
    rows, errors = parse_personnel(table, polseks=wide, kecamatan_names=KECAMATAN, polres_name="Polres Klungkung")
    assert rows == [] and [(e.row, e.column) for e in errors] == [(4, "kode_kecamatan")]
    assert errors[0].message.startswith("Polsek Timur muncul dua kali (juga di baris 3)")

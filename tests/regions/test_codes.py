"""The region-code helpers every module uses instead of splitting codes by hand."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.regions import codes

province = st.integers(11, 99).map(lambda n: f"{n:02d}")
village = st.tuples(province, st.integers(1, 99), st.integers(1, 99), st.integers(1001, 2999)).map(lambda p: f"{p[0]}.{p[1]:02d}.{p[2]:02d}.{p[3]}")


@given(village)
def test_each_level_of_a_village_code(code):
    lineage = codes.lineage(code)
    assert lineage == [codes.province_of(code), codes.district_of(code), codes.kecamatan_of(code), code]
    assert [codes.level_of(c) for c in lineage] == [codes.PROVINCE, codes.DISTRICT, codes.KECAMATAN, codes.VILLAGE]
    for above, below in zip(lineage, lineage[1:], strict=False):
        assert codes.parent_of(below) == above
        assert codes.is_within(code, above)


@given(st.lists(village, min_size=1, max_size=6))
def test_the_common_area_holds_every_code_and_is_the_narrowest(villages):
    common = codes.common_area(villages)
    assert all(codes.is_within(v, common) for v in villages) if common else len({codes.province_of(v) for v in villages}) > 1
    narrower = [c for c in codes.lineage(villages[0]) if len(c) > len(common)]
    if narrower:
        assert not all(codes.is_within(v, narrower[0]) for v in villages)


def test_klungkung():
    assert codes.district_of("51.05.01.2010") == "51.05"
    assert codes.kecamatan_of("51.05.01") == "51.05.01"
    assert codes.lineage("51.05") == ["51", "51.05"]
    assert codes.lineage("") == []
    assert codes.common_area(["51.05.01.2010", "51.05.01.2013"]) == "51.05.01"
    assert codes.common_area(["51.05.01.2010", "51.05.04.1001"]) == "51.05"
    assert codes.common_area(["51.05.01.2010", "51"]) == "51"
    assert codes.expected_kind("51.71") == {"kota"} and codes.expected_kind("51.05") == {"kabupaten"}


def test_a_code_above_the_level_asked_is_refused():
    with pytest.raises(ValueError):
        codes.district_of("51")
    with pytest.raises(ValueError):
        codes.kecamatan_of("51.05")

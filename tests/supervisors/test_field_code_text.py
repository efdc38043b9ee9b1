"""Field codes as text (pure): the alphabet leaves out look-alikes, a code reads back whatever way
a person types it, and anything else is refused before any lookup."""

from hypothesis import given
from hypothesis import strategies as st

from sinergi.supervisors.field_codes import ALPHABET, BITS, LENGTH, code_from_bytes, grouped, normalize


def test_the_alphabet_has_32_symbols_without_look_alikes():
    assert len(set(ALPHABET)) == 32 == 2 ** (BITS // LENGTH)
    assert not set("01OI") & set(ALPHABET)


@given(st.binary(min_size=8, max_size=32))
def test_a_code_reads_back_however_it_is_typed(material):
    code = code_from_bytes(material)
    assert len(code) == LENGTH and set(code) <= set(ALPHABET)
    assert code_from_bytes(material) == code  # the same bytes, the same code
    printed = grouped(code)
    assert printed[5] == "-" and len(printed) == 11
    for typed in (printed, printed.lower(), code, " ".join(printed), f"  {printed}\n"):
        assert normalize(typed) == code


@given(st.binary(min_size=8, max_size=8), st.binary(min_size=8, max_size=8))
def test_different_first_50_bits_give_different_codes(a, b):
    top = lambda m: int.from_bytes(m, "big") >> 14  # noqa: E731
    assert (code_from_bytes(a) == code_from_bytes(b)) == (top(a) == top(b))


def test_what_cannot_be_a_code_is_refused():
    for typed in ("", "ABCDE", "ABCDE-FGHJKL", "OOOOO-00000", "ABCDE-FGH1K", "ABCDÉ-FGHJK", "ABCDE_FGHJK"):
        assert normalize(typed) is None

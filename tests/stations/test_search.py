"""The TPS search reads what people type: "TPS 17 Ped", "17 ped", "TPS 017" (pure parser, property
tests), and the TPS list and search find TPS 17 of Desa Ped by each of them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.stations.models import Station
from sinergi.stations.search import FILLER, StationQuery, parse
from tests import personas


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TPS 17 Ped", StationQuery(17, ("ped",))),
        ("17 ped", StationQuery(17, ("ped",))),
        ("TPS 017", StationQuery(17, ())),
        ("ped 17", StationQuery(17, ("ped",))),
        ("tps017 Ped", StationQuery(17, ("ped",))),
        ("TPS 017 Desa Ped", StationQuery(17, ("ped",))),
        ("No. 5, Kel. Semarapura Kangin", StationQuery(5, ("semarapura", "kangin"))),
        ("Nusa Penida", StationQuery(None, ("nusa", "penida"))),
        ("TPS", StationQuery(None, ())),
        ("", StationQuery(None, ())),
        ("TPS 000", StationQuery(None, ("000",))),
        ("Jalan 12345 TPS 3", StationQuery(3, ("jalan", "12345"))),
    ],
)
def test_examples(text, expected):
    assert parse(text) == expected


village_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=10).filter(lambda w: w not in FILLER)
FORMS = ["TPS {n} {v}", "TPS {n:03d} {v}", "{n} {v}", "{v} {n}", "tps{n:03d} {v}", "TPS {n:03d} Desa {v}", "No. {n} {v}", "  tps  {n}\t{v} "]


@given(n=st.integers(1, 999), words=st.lists(village_word, min_size=0, max_size=3), form=st.sampled_from(FORMS), upper=st.booleans())
def test_every_form_gives_the_number_and_the_village_words(n, words, form, upper):
    text = form.format(n=n, v=" ".join(words))
    if upper:
        text = text.upper()
    assert parse(text) == StationQuery(n, tuple(words))


@given(st.text(max_size=60))
def test_any_text_parses_without_error_to_a_number_in_range(text):
    query = parse(text)
    assert query.number is None or 1 <= query.number <= 999
    assert all(word == word.casefold() and word not in FILLER for word in query.words)


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["TPS 17 Ped", "17 ped", "ped 17", "TPS 017 Desa Ped"])
def test_the_tps_list_finds_tps_17_ped_by_what_people_type(client_of, pemilu, typed):
    ped17 = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)
    found = list(client_of(personas.BAWASLU).get(f"/pemilihan/{pemilu.slug}/tps/", {"q": typed}).context["page"])
    assert found == [ped17]


@pytest.mark.django_db
def test_a_number_alone_finds_that_tps_of_every_village_and_a_place_is_still_found(client_of, pemilu):
    client = client_of(personas.BAWASLU)
    found = list(client.get(f"/pemilihan/{pemilu.slug}/tps/", {"q": "TPS 017"}).context["page"].paginator.object_list)
    assert found and {s.number for s in found} == {17}
    assert len(found) == Station.objects.filter(election=pemilu, number=17).count()
    place = Station.objects.filter(election=pemilu).exclude(place="").order_by("pk").first().place
    assert place and any(s.place == place for s in client.get(f"/pemilihan/{pemilu.slug}/tps/", {"q": place}).context["page"].paginator.object_list)
    # Scoped: the Panwascam of Nusa Penida finds Ped's TPS 17, and no TPS 17 of another kecamatan.
    found = list(client_of(personas.PANWASCAM_NUSA_PENIDA).get(f"/pemilihan/{pemilu.slug}/tps/", {"q": "17"}).context["page"].paginator.object_list)
    assert found and all(s.village_id.startswith("51.05.01.") for s in found)

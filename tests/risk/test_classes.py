"""Police class: suggested by an explainable rule, set only by the police; intel notes police-only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergi.risk.classify import KHUSUS, KURANG_RAWAN, RAWAN, SANGAT_RAWAN, ClassRule, suggest
from sinergi.risk.models import StationClass
from sinergi.risk.queries import intel_notes_for, suggestions_for_stations
from sinergi.risk.services import add_intel_note, set_station_class
from sinergi.stations.models import Station
from tests import personas

RULE = ClassRule(frozenset({"2.1", "2.2"}), rawan_min_variables=2, sangat_rawan_min_variables=2)
VARIABLE_OF = {"1.1": 1, "1.2": 1, "2.1": 2, "2.2": 2, "6.4": 6}


@pytest.mark.parametrize(
    ("codes", "special", "level"),
    [
        (set(), False, KURANG_RAWAN),
        ({"1.1", "1.2"}, False, KURANG_RAWAN),  # two indicators, one variable
        ({"1.1", "6.4"}, False, RAWAN),
        ({"2.2"}, False, RAWAN),
        ({"2.2", "1.1"}, False, SANGAT_RAWAN),
        ({"2.2", "1.1"}, True, KHUSUS),
    ],
)
def test_the_rule(codes, special, level):
    assert suggest(codes, VARIABLE_OF, special_location=special, rule=RULE).level == level


def test_a_suggestion_names_what_drove_it():
    suggestion = suggest({"2.2", "1.1"}, VARIABLE_OF, special_location=False, rule=RULE)
    assert suggestion.driving_codes == ("1.1", "2.2")
    assert "Indikator berat ada: 2.2." in suggestion.reasons


@pytest.mark.django_db
def test_the_demo_has_four_sangat_rawan_tps_including_ped_17_and_18(pemilu):
    levels = StationClass.objects.filter(station__election=pemilu, level="sangat_rawan")
    assert levels.count() == 4
    ped = {c.station.number for c in levels.select_related("station") if c.station.village_id == "51.05.01.2010"}
    assert ped == {17, 18}
    assert levels.filter(station__village__code__startswith="51.05.02.").count() == 2


@pytest.mark.django_db
def test_only_the_police_set_a_class_and_an_override_needs_a_reason(user_of, pemilu):
    station = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=1)
    suggested = suggestions_for_stations(pemilu, [station])[station.pk].level
    other = RAWAN if suggested != RAWAN else KURANG_RAWAN
    for username in (personas.BAWASLU, personas.KPU, personas.PTPS_PED):
        with pytest.raises(PermissionDenied):
            set_station_class(actor=user_of(username), station=station, level=other, reason="x")
    with pytest.raises(ValidationError, match="isi alasannya"):
        set_station_class(actor=user_of(personas.POLSEK_NUSA_PENIDA), station=station, level=other)
    set_station_class(actor=user_of(personas.POLSEK_NUSA_PENIDA), station=station, level=other, reason="Laporan Intelkam")
    assert StationClass.objects.get(station=station).level == other
    mainland = Station.objects.filter(election=pemilu, village__code__startswith="51.05.03.").first()
    with pytest.raises(PermissionDenied):
        set_station_class(actor=user_of(personas.POLSEK_NUSA_PENIDA), station=mainland, level=RAWAN, reason="x")


@pytest.mark.django_db
def test_intel_notes_are_for_the_police_only(user_of, pemilu):
    station = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)
    add_intel_note(actor=user_of(personas.POLRES), station=station, text="Warga banjar berencana menghalangi 17 pemilih.")
    assert [n.text for n in intel_notes_for(user_of(personas.POLSEK_NUSA_PENIDA), station)] == ["Warga banjar berencana menghalangi 17 pemilih."]
    for username in (personas.BAWASLU, personas.PANWASCAM_NUSA_PENIDA, personas.KPU, personas.JAKSA):
        with pytest.raises(PermissionDenied):
            intel_notes_for(user_of(username), station)
        with pytest.raises(PermissionDenied):
            add_intel_note(actor=user_of(username), station=station, text="x")

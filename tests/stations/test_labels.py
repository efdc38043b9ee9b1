"""One name for a TPS wherever it is shown."""

import pytest

from sinergi.stations.labels import tps_label, tps_number
from sinergi.stations.models import Station


def test_the_label_pads_the_number_and_names_the_village():
    assert tps_label(17, "Ped") == "TPS 017 Ped"
    assert tps_number(3) == "TPS 003"


@pytest.mark.django_db
def test_a_station_is_shown_with_the_same_label(pemilu):
    ped17 = Station.objects.select_related("village").get(election=pemilu, village_id="51.05.01.2010", number=17)
    assert str(ped17) == tps_label(ped17.number, ped17.village.name) == "TPS 017 Ped"
    assert Station.objects.get(pk=ped17.pk).label == "TPS 017"

"""The police classes of many districts in one pass (`classes_by_district`, for the national guard
plan) are `classes_for`'s, TPS by TPS, district by district."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.elections.commands import DEPLOYMENT
from sinergi.regions.models import Region
from sinergi.risk.models import ChecklistAnswer, Indicator, StationClass
from sinergi.risk.queries import classes_by_district, classes_for
from sinergi.stations.models import Station
from tests import personas


def assert_same_as_classes_for(user: User, election, within_area: str = "") -> dict[str, dict]:
    read = list(classes_by_district(user, election, within_area))
    assert all(rows == [] for _, _, rows in read)  # no columns asked for
    by_district = [(code, classes) for code, classes, _ in read]
    districts = [code for code, _ in by_district]
    assert districts == sorted(districts) and len(set(districts)) == len(districts)
    for code, classes in by_district:
        narrowed = within_area if len(within_area) > len(code) else code  # a kecamatan, or the district
        assert classes and classes == classes_for(user, election, narrowed)
        assert all(sid_code.startswith(code + ".") for sid_code in Station.objects.filter(pk__in=list(classes)).values_list("village_id", flat=True))
    merged = {sid: value for _, classes in by_district for sid, value in classes.items()}
    assert merged == classes_for(user, election, within_area)
    return dict(by_district)


@pytest.fixture
def three_districts(pemilu):
    """Besides Klungkung (51.05): Denpasar (51.71) and a district of another province (52.01), with
    TPS of every kind of class: special locations, severe and ordinary indicators present (and
    absent), classes set by the police, a TPS whose only answers are absent."""
    Region.objects.create(code="51.71", name="Denpasar", kind=Region.Kind.KOTA, parent_id="51", level=2)
    Region.objects.create(code="51.71.01", name="Denpasar Selatan", kind=Region.Kind.KECAMATAN, parent_id="51.71", level=3)
    Region.objects.create(code="51.71.01.1001", name="Sesetan", kind=Region.Kind.KELURAHAN, parent_id="51.71.01", level=4)
    Region.objects.create(code="52", name="Nusa Tenggara Barat", kind=Region.Kind.PROVINSI, level=1)
    Region.objects.create(code="52.01", name="Lombok Barat", kind=Region.Kind.KABUPATEN, parent_id="52", level=2)
    Region.objects.create(code="52.01.01", name="Gerung", kind=Region.Kind.KECAMATAN, parent_id="52.01", level=3)
    Region.objects.create(code="52.01.01.2001", name="Gerung Utara", kind=Region.Kind.DESA, parent_id="52.01.01", level=4)
    indicators = {i.code: i for i in Indicator.objects.filter(election=pemilu)}
    now = timezone.now()
    present = [(), ("1.1",), ("1.1", "1.2"), ("2.1",), ("2.1", "1.1"), ("1.1", "3.1", "4.1"), ("6.6",), ("2.2", "5.1")]
    for village in ("51.71.01.1001", "52.01.01.2001"):
        for number in range(1, 21):
            station = Station.objects.create(election=pemilu, village_id=village, number=number, voters=200, is_special_location=number % 7 == 0)
            codes = present[number % len(present)]
            answers = [ChecklistAnswer(station=station, indicator=indicators[c], present=True, filled_at=now) for c in codes]
            answers += [ChecklistAnswer(station=station, indicator=indicators["7.1"], present=False, filled_at=now)] if number % 3 == 0 else []
            ChecklistAnswer.objects.bulk_create(answers)
            if number % 5 == 0:
                StationClass.objects.create(station=station, level="sangat_rawan" if number % 10 else "kurang_rawan", set_at=now)


@pytest.mark.django_db
def test_the_demo_district_has_the_classes_of_classes_for(pemilu, pilkada, user_of):
    for election in (pemilu, pilkada):
        found = assert_same_as_classes_for(DEPLOYMENT, election)
        assert list(found) == ["51.05"] and len(found["51.05"]) == Station.objects.filter(election=election).count()
        # The demo's police have classed every TPS of the Pemilu: without the classes of two TPS in
        # three, the suggestions from the demo's answers.
        set_by_police = StationClass.objects.filter(station__election=election).order_by("station_id")
        StationClass.objects.filter(pk__in=[c.pk for n, c in enumerate(set_by_police) if n % 3]).delete()
        found = assert_same_as_classes_for(DEPLOYMENT, election)
        if election == pemilu:  # the Pilkada's demo has no answer and no police class
            assert {source for _, source in found["51.05"].values()} == {"polisi", "saran"}
            assert len({level for level, source in found["51.05"].values() if source == "saran"}) >= 2
        for username in (personas.POLRES, personas.POLSEK_NUSA_PENIDA, "polda-bali", personas.BAWASLU):
            assert_same_as_classes_for(user_of(username), election)
        assert_same_as_classes_for(DEPLOYMENT, election, "51.05.01")


@pytest.mark.django_db
def test_several_districts_have_the_classes_of_classes_for(pemilu, three_districts, user_of):
    found = assert_same_as_classes_for(DEPLOYMENT, pemilu)
    assert list(found) == ["51.05", "51.71", "52.01"]
    levels = {level for classes in found.values() for level, _ in classes.values()}
    assert levels == {"kurang_rawan", "rawan", "sangat_rawan", "khusus"}
    assert list(assert_same_as_classes_for(user_of("polda-bali"), pemilu)) == ["51.05", "51.71"]
    assert list(assert_same_as_classes_for(DEPLOYMENT, pemilu, "52")) == ["52.01"]
    assert list(assert_same_as_classes_for(user_of(personas.POLRES), pemilu)) == ["51.05"]


@pytest.mark.django_db
def test_the_rows_of_the_columns_asked_for_come_with_the_classes(pemilu, three_districts, user_of):
    columns = ("village__parent__name", "number", "latitude", "access")
    for user, area in ((DEPLOYMENT, ""), (user_of("polda-bali"), ""), (DEPLOYMENT, "52")):
        read = list(classes_by_district(user, pemilu, area, columns))
        assert [(code, classes) for code, classes, _ in read] == [(code, classes) for code, classes, _ in classes_by_district(user, pemilu, area)]
        for code, classes, rows in read:
            expected = Station.objects.filter(election=pemilu, village__code__startswith=code + ".").order_by("village_id", "number")
            assert rows == list(expected.values_list("pk", *columns)) and [row[0] for row in rows] == list(classes)


@pytest.mark.django_db
def test_four_queries_whatever_the_number_of_districts(pemilu, three_districts, django_assert_num_queries):
    with django_assert_num_queries(4):  # the rule, the indicators, the TPS, the answers
        assert len(list(classes_by_district(DEPLOYMENT, pemilu, "", ("village__name", "latitude")))) == 3


@pytest.mark.django_db
def test_refused_to_whoever_may_not_see_the_police_classes(pemilu, user_of):
    for username in (personas.KPU, personas.JAKSA):
        with pytest.raises(PermissionDenied):
            classes_for(user_of(username), pemilu)
        with pytest.raises(PermissionDenied):
            next(classes_by_district(user_of(username), pemilu))

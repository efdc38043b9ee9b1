"""The roster of 649 PTPS (and the PKD and Panwascam posts) is searched by name or TPS and
filtered by kecamatan, village and status, a page at a time, the filters kept across pages."""

import pytest

from sinergi.supervisors.models import Assignment
from tests import personas

ROSTER = "/pemilihan/pemilu-2024/pengawas/"


def shown(response):
    return [a for a, _nik in response.context["rows"]]


@pytest.mark.django_db
def test_search_by_name_and_by_tps_as_people_type_it(client_of, pemilu):
    client = client_of(personas.BAWASLU)
    ped17 = Assignment.objects.select_related("supervisor").get(election=pemilu, station__village_id="51.05.01.2010", station__number=17, role="ptps", status__in=Assignment.ACTIVE)
    for typed in ("TPS 17 Ped", "17 ped", "tps 017 desa ped"):
        assert shown(client.get(ROSTER, {"q": typed})) == [ped17], typed
    by_name = shown(client.get(ROSTER, {"q": ped17.supervisor.name.upper()}))
    assert ped17 in by_name and all(ped17.supervisor.name.casefold() in a.supervisor.name.casefold() for a in by_name)
    page = client.get(ROSTER, {"q": "TPS 17 Ped"})
    assert f'href="/pemilihan/pemilu-2024/tps/{ped17.station_id}/"' in page.text and "1 ditemukan" in page.text


@pytest.mark.django_db
def test_filters_by_area_and_status_are_paginated_and_kept_across_pages(client_of, pemilu):
    client = client_of(personas.BAWASLU)
    everyone = client.get(ROSTER)
    assert everyone.context["page"].paginator.count == Assignment.objects.filter(election=pemilu).count() >= 649 and everyone.context["page"].paginator.num_pages > 1
    nusa_penida = client.get(ROSTER, {"kecamatan": "51.05.01", "status": "dilantik"})
    expected = Assignment.objects.filter(election=pemilu, region__code__startswith="51.05.01", status="dilantik").count()
    assert nusa_penida.context["page"].paginator.count == expected >= 198
    assert all(a.region_id.startswith("51.05.01") and a.status == "dilantik" for a in shown(nusa_penida))
    assert 'href="?kecamatan=51.05.01&amp;status=dilantik&amp;page=2"' in nusa_penida.text
    second = client.get(ROSTER, {"kecamatan": "51.05.01", "status": "dilantik", "page": 2})
    assert all(a.region_id.startswith("51.05.01") for a in shown(second)) and shown(second)[0] not in shown(nusa_penida)
    ped = client.get(ROSTER, {"kecamatan": "51.05.01", "desa": "51.05.01.2010"})
    assert shown(ped) and all(a.region_id.startswith("51.05.01.2010") for a in shown(ped))
    assert client.get(ROSTER, {"kecamatan": "51.05.02", "desa": "51.05.01.2010"}).context["filters"]["desa"] == ""  # a village of another kecamatan is dropped


@pytest.mark.django_db
def test_a_panwascam_searches_its_own_kecamatan_only(client_of, pemilu):
    client = client_of(personas.PANWASCAM_NUSA_PENIDA)
    assert len(shown(client.get(ROSTER, {"q": "TPS 17 Ped"}))) == 1
    mainland = Assignment.objects.filter(election=pemilu, role="ptps").exclude(region__code__startswith="51.05.01").select_related("supervisor").first()
    assert shown(client.get(ROSTER, {"q": mainland.supervisor.name})) == []
    assert shown(client.get(ROSTER, {"kecamatan": "51.05.03"})) == []  # another kecamatan: nothing, not an error


@pytest.mark.django_db
def test_the_roster_page_stays_within_its_query_budget(client_of, django_assert_max_num_queries):
    client = client_of(personas.BAWASLU)
    client.get(ROSTER)
    with django_assert_max_num_queries(13):  # session, user, election, counts, count, gaps (2), page, field codes, elections, header, filters (2)
        assert client.get(ROSTER, {"q": "ped", "kecamatan": "51.05.01", "status": "dilantik"}).status_code == 200

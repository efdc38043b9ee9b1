"""The coverage board lists each late TPS as a link to its page with its PTPS's name, and a number
to call for Bawaslu only (others see it masked), in one query for every TPS listed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.supervisors.contact import mask_phone, tel_uri
from sinergi.supervisors.models import Assignment
from tests import personas

BOARD = "/pemilihan/pemilu-2024/pengawasan/"


@pytest.mark.parametrize(
    ("phone", "uri", "masked"),
    [
        ("081230000003", "tel:+6281230000003", "0812••••••03"),
        ("0812-3000-0003", "tel:+6281230000003", "0812••••••03"),
        ("+62 812 3000 0003", "tel:+6281230000003", "6281•••••••03"),
        ("", "", ""),
        ("12", "", "••"),
    ],
)
def test_phone_as_a_link_and_masked(phone, uri, masked):
    assert (tel_uri(phone), mask_phone(phone)) == (uri, masked)


def ptps_of(station):
    return Assignment.objects.select_related("supervisor").get(station=station, role="ptps", status__in=Assignment.ACTIVE).supervisor


@pytest.mark.django_db
def test_bawaslu_sees_each_late_tps_as_a_link_with_its_ptps_and_a_number_to_call(client_of, pemilu):
    client = client_of(personas.BAWASLU)
    client.get(BOARD)  # session warm
    with CaptureQueriesContext(connection) as queries:
        page = client.get(BOARD)
    late = page.context["late"]
    assert len(late) == min(100, len(page.context["coverage"].missing)) and len(late) > 50
    assert sum("supervisors_assignment" in q["sql"] for q in queries.captured_queries) == 1  # not one per TPS
    listed = page.text.split('data-testid="late-list"')[1].split("</ul>")[0]
    for station, contact in late[:5]:
        person = ptps_of(station)
        assert (contact.name, contact.phone) == (person.name, person.phone)
        assert (
            f'<a href="/pemilihan/pemilu-2024/pengawasan/tps/{station.pk}/">{station}</a> · {person.name} · <a href="{tel_uri(person.phone)}" data-testid="call">{person.phone}</a>'
            in listed
        )
    assert listed.count('href="tel:+62') == len(late)


@pytest.mark.django_db
def test_a_panwascam_sees_the_name_and_a_masked_number_of_its_own_kecamatan_only(client_of, pemilu):
    page = client_of(personas.PANWASCAM_NUSA_PENIDA).get(BOARD, headers={"HX-Request": "true"})
    late = page.context["late"]
    assert late and all(station.village_id.startswith("51.05.01.") for station, _contact in late)
    listed = page.text.split('data-testid="late-list"')[1].split("</ul>")[0]
    assert "tel:" not in listed
    station, contact = late[0]
    person = ptps_of(station)
    assert person.name in listed and mask_phone(person.phone) in listed and person.phone not in listed
    assert not re.search(r"08123\d{7}", page.text)  # no full phone number anywhere on the board

"""The field app's server side: a PTPS's sign-in outlasts voting day and the count, the app's page
follows the PTPS's post (its election, its time zone), and a PTPS's navigation leads to it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests import personas


def signed_in(username: str) -> Client:
    client = Client()
    assert client.post("/akun/masuk/", {"username": username, "password": personas.PASSWORD}).status_code == 302
    return client


@pytest.mark.django_db
def test_a_ptps_sign_in_lasts_through_voting_day_and_the_count_a_desk_one_does_not(ptps, on):
    field, desk = signed_in(personas.PTPS_PED), signed_in(personas.BAWASLU_STAFF)
    assert field.session.get_expiry_age() >= 36 * 60 * 60
    assert field.cookies["sessionid"]["max-age"] >= 36 * 60 * 60
    assert desk.session.get_expiry_age() == 12 * 60 * 60  # desk users as before
    # Signed in at 06.00 on voting day, still signed in at 12.00 the next day (the count runs late).
    on(timezone.now() + timedelta(hours=30))
    assert field.get("/api/v1/reports/me").status_code == 200
    assert desk.get("/api/v1/reports/me").status_code == 401


@pytest.mark.django_db
def test_the_field_app_follows_the_ptps_post_not_the_newest_election(client_of, ptps):
    page = client_of(personas.PTPS_PED).get("/lapangan/")
    assert page.context["election"].slug == "pemilu-2024"  # the post's election; Pilkada 2024 is newer
    assert '<option value="pemilu-2024" selected>' in page.text
    me = client_of(personas.PTPS_PED).get("/api/v1/reports/me").json()
    assert me["election"] == "pemilu-2024" and me["time_zone"] == "Asia/Makassar"


@pytest.mark.django_db
def test_a_ptps_navigation_leads_to_the_field_app_a_desk_user_does_not_see_it(client_of, ptps):
    assert 'href="/lapangan/"' in client_of(personas.PTPS_PED).get("/pemilihan/pemilu-2024/").text
    assert 'href="/lapangan/"' in client_of(personas.PTPS_PED).get("/lapangan/").text
    assert 'href="/lapangan/"' not in client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/").text

"""401 means "sign in again", 403 "you may not": an unknown or revoked token and a session that is
gone get 401 on every POST, never Django's CSRF 403; a live session with a stale CSRF token gets a
403 the field app recognises (`code: "csrf_failed"`). CSRF checks are enforced here as in a browser."""

import json
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from sinergi.accounts.models import ApiToken
from sinergi.supervisors.models import Incident, Report
from tests import personas
from tests.api.test_api import token_for

# Every POST the field app makes, and one outside the reports router.
POSTS = ["/api/v1/reports", "/api/v1/reports/batch", "/api/v1/reports/incidents", "/api/v1/risk/checklists/1"]


def opening(station):
    return {
        "client_id": str(uuid.uuid4()),
        "station_id": station.pk,
        "stage": "persiapan",
        "answers": {"kotak_tersegel": True, "logistik_lengkap": True, "kpps_hadir": 7},
        "narrative": "",
        "observed_at": "2024-02-14T07:05:00+08:00",
    }


def body_for(path, station):
    if path.endswith("/batch"):
        return {"reports": [opening(station)]}
    if path.endswith("/incidents"):
        return {
            "client_id": str(uuid.uuid4()),
            "station_id": station.pk,
            "category": "lainnya",
            "severity": "rendah",
            "occurred_at": "2024-02-14T09:00:00+08:00",
            "description": "Contoh.",
        }
    if "/risk/" in path:
        return {"answers": []}
    return opening(station)


def post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def signed_in(user) -> Client:
    """A browser-like client: CSRF enforced, signed in, holding the CSRF cookie a page gave it."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/lapangan/")  # the page sets the CSRF cookie
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("path", POSTS)
def test_an_unknown_token_gets_401_not_a_csrf_403(path, ptps, ped17):
    response = post(Client(enforce_csrf_checks=True), path, body_for(path, ped17), Authorization="Bearer sng_not-a-real-token")
    assert response.status_code == 401 and response.json() == {"detail": "Unauthorized"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", POSTS)
def test_a_revoked_token_gets_401(path, ptps, ped17):
    token = token_for(personas.PTPS_PED)
    ApiToken.objects.filter(user=ptps).delete()
    response = post(Client(enforce_csrf_checks=True), path, body_for(path, ped17), Authorization=f"Bearer {token}")
    assert response.status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("path", POSTS)
def test_no_token_and_no_session_gets_401(path, ped17):
    assert post(Client(enforce_csrf_checks=True), path, body_for(path, ped17)).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize("csrf", ["its own", "stale"])
def test_a_session_that_is_gone_gets_401_whatever_the_csrf_token(path, csrf, ptps, ped17):
    client = signed_in(ptps)
    csrf = client.cookies["csrftoken"].value if csrf == "its own" else "x" * 32  # stale: a page kept by the phone
    Session.objects.all().delete()  # expired or flushed on the server
    response = post(client, path, body_for(path, ped17), **{"X-CSRFToken": csrf})
    assert response.status_code == 401 and response.json() == {"detail": "Unauthorized"}
    assert not Report.objects.filter(filed_by=ptps).exists() and not Incident.objects.filter(filed_by=ptps).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", POSTS)
def test_a_live_session_with_a_bad_csrf_token_gets_a_recognisable_403(path, ptps, ped17):
    client = signed_in(ptps)
    response = post(client, path, body_for(path, ped17), **{"X-CSRFToken": "x" * 32})
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "csrf_failed" and "muat ulang" in body["detail"]
    assert not Report.objects.filter(filed_by=ptps).exists()


@pytest.mark.django_db
def test_a_live_session_with_its_csrf_token_files(ptps, ped17):
    client = signed_in(ptps)
    response = post(client, "/api/v1/reports", opening(ped17), **{"X-CSRFToken": client.cookies["csrftoken"].value})
    assert response.status_code == 201 and Report.objects.filter(filed_by=ptps).count() == 1


@pytest.mark.django_db
def test_a_bad_token_beside_a_live_session_is_401_the_token_speaks_for_the_caller(ptps, ped17):
    client = signed_in(ptps)
    response = post(
        client, "/api/v1/reports", opening(ped17), Authorization="Bearer sng_not-a-real-token", **{"X-CSRFToken": client.cookies["csrftoken"].value}
    )
    assert response.status_code == 401 and not Report.objects.filter(filed_by=ptps).exists()


@pytest.mark.django_db
def test_a_report_of_another_tps_is_still_403_forbidden(ptps, pemilu):
    from sinergi.stations.models import Station

    ped1 = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=1)
    client = signed_in(ptps)
    response = post(client, "/api/v1/reports", opening(ped1), **{"X-CSRFToken": client.cookies["csrftoken"].value})
    assert response.status_code == 403 and "code" not in response.json()


@pytest.mark.django_db
def test_a_refusal_with_a_reason_gives_it_in_indonesian_for_the_field_app_to_show(ptps, pemilu):
    from sinergi.stations.models import Station

    ped1 = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=1)
    client = signed_in(ptps)
    csrf = {"X-CSRFToken": client.cookies["csrftoken"].value}
    report = post(client, "/api/v1/reports", opening(ped1), **csrf)
    incident = post(client, "/api/v1/reports/incidents", {**body_for("/api/v1/reports/incidents", ped1)}, **csrf)
    for refused in (report, incident):
        assert refused.status_code == 403 and refused.json() == {"detail": "Anda hanya dapat melapor untuk TPS tempat Anda bertugas."}
    # A missing permission (an internal name, not a reason) keeps the generic answer.
    # (On the PTPS's own TPS: another TPS is not even visible to a PTPS, a 404.)
    own = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)
    assert post(client, f"/api/v1/risk/classes/{own.pk}", {"level": "rawan", "reason": ""}, **csrf).json()["detail"].startswith("Forbidden")

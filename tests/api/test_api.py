"""The JSON API: bearer tokens, scoping like the pages, JSON errors."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.models import ApiToken
from sinergi.stations.models import Station
from tests import personas


def token_for(username: str) -> str:
    out = io.StringIO()
    call_command("create_token", username, stdout=out)
    return out.getvalue().strip()


def api_get(path: str, token: str | None = None, **params):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().get(path, params, headers=headers)


@pytest.mark.django_db
def test_without_a_token_the_api_answers_401_in_json():
    response = api_get("/api/v1/stations", election="pemilu-2024")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.django_db
def test_a_wrong_token_is_401():
    assert api_get("/api/v1/stations", "sng_not-a-real-token").status_code == 401


@pytest.mark.django_db
def test_tokens_are_stored_only_as_digests():
    raw = token_for(personas.KPU)
    assert raw.startswith("sng_") and len(raw) > 40
    stored = ApiToken.objects.get(user__username=personas.KPU)
    assert raw not in (stored.digest, stored.prefix) and stored.digest != raw


@pytest.mark.django_db
def test_polsek_nusa_penida_sees_only_nusa_penida_stations(pemilu):
    token = token_for(personas.POLSEK_NUSA_PENIDA)
    response = api_get("/api/v1/stations", token, election="pemilu-2024", limit=1000)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 198 == len(body["items"])
    assert {item["kecamatan_code"] for item in body["items"]} == {"51.05.01"}
    assert {item["election"] for item in body["items"]} == {"pemilu-2024"}


@pytest.mark.django_db
def test_polsek_asking_for_another_kecamatan_gets_nothing(pemilu):
    token = token_for(personas.POLSEK_NUSA_PENIDA)
    body = api_get("/api/v1/stations", token, election="pemilu-2024", region="51.05.03").json()
    assert body["count"] == 0


@pytest.mark.django_db
def test_bawaslu_sees_the_whole_district_and_can_narrow_to_a_village(pemilu):
    token = token_for(personas.BAWASLU)
    assert api_get("/api/v1/stations", token, election="pemilu-2024").json()["count"] == 649
    ped = api_get("/api/v1/stations", token, election="pemilu-2024", region="51.05.01.2010", limit=100).json()
    assert ped["count"] == Station.objects.filter(election=pemilu, village_id="51.05.01.2010").count() >= 18
    tps17 = next(item for item in ped["items"] if item["number"] == 17)
    assert tps17["place"] == "Bale Banjar Sental Kangin, Desa Ped"
    assert tps17["location_estimated"] is True


@pytest.mark.django_db
def test_an_account_without_an_agency_is_forbidden_with_403():
    token = token_for(personas.NO_AGENCY)
    response = api_get("/api/v1/stations", token)
    assert response.status_code == 403
    assert "Forbidden" in response.json()["detail"]


@pytest.mark.django_db
def test_elections_endpoint_lists_presets_with_rules():
    token = token_for(personas.POLRES)
    body = {e["slug"]: e for e in api_get("/api/v1/elections", token).json()}
    assert body["pemilu-2024"]["max_voters_per_station"] == 300
    assert body["pilkada-2024"]["max_voters_per_station"] == 600
    assert [b["colour_name"] for b in body["pemilu-2024"]["ballot_types"]] == ["abu-abu", "kuning", "merah", "biru", "hijau"]
    assert api_get("/api/v1/elections/pemilu-2024", token).json()["voting_date"] == "2024-02-14"
    assert api_get("/api/v1/elections/tidak-ada", token).status_code == 404


@pytest.mark.django_db
def test_regions_are_scoped_to_the_caller_area():
    polsek = token_for(personas.POLSEK_NUSA_PENIDA)
    villages = api_get("/api/v1/regions", polsek, level=4, limit=100).json()
    assert villages["count"] == 16
    assert all(v["code"].startswith("51.05.01.") for v in villages["items"])
    bawaslu = token_for(personas.BAWASLU)
    assert api_get("/api/v1/regions", bawaslu, level=4, limit=100).json()["count"] == 59


@pytest.mark.django_db
def test_the_browser_session_also_authenticates(client_of):
    response = client_of(personas.KPU).get("/api/v1/stations", {"election": "pilkada-2024"})
    assert response.json()["count"] == 335


@pytest.mark.django_db
def test_openapi_schema_is_served():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert {"/api/v1/stations", "/api/v1/elections", "/api/v1/regions"} <= set(response.json()["paths"])


@pytest.mark.django_db
def test_station_list_query_budget_does_not_grow_with_page_size(pemilu):
    token = token_for(personas.BAWASLU)
    api_get("/api/v1/elections", token)  # the first use stamps the token's last use
    with CaptureQueriesContext(connection) as small:
        api_get("/api/v1/stations", token, election="pemilu-2024", limit=5)
    with CaptureQueriesContext(connection) as large:
        api_get("/api/v1/stations", token, election="pemilu-2024", limit=500)
    assert len(large) == len(small) <= 6


@pytest.mark.django_db
def test_the_interactive_api_page_uses_only_local_assets():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in response.text
    assert "http://" not in response.text and "https://" not in response.text


@pytest.mark.django_db
def test_a_revoked_token_no_longer_works():
    token = token_for(personas.POLRES)
    assert api_get("/api/v1/elections", token).status_code == 200
    out = io.StringIO()
    call_command("revoke_tokens", personas.POLRES, "--prefix", token[:10], stdout=out)
    assert out.getvalue().strip() == "1 token dicabut."
    assert api_get("/api/v1/elections", token).status_code == 401


@pytest.mark.django_db
def test_a_token_kept_by_the_process_is_refused_once_its_user_is_deactivated(user_of):
    from sinergi.accounts.queries import token_by_secret

    token = token_for(personas.POLRES)
    assert api_get("/api/v1/elections", token).status_code == 200
    assert token_by_secret(token) is token_by_secret(token)  # the process's copy, checked afresh each time
    user = user_of(personas.POLRES)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert api_get("/api/v1/elections", token).status_code == 401


@pytest.mark.django_db
def test_risk_and_guard_endpoints_are_scoped(pemilu):
    from sinergi.stations.models import Station

    ped17 = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)
    mainland = Station.objects.filter(election=pemilu, village__code__startswith="51.05.03.").first()
    polsek = token_for(personas.POLSEK_NUSA_PENIDA)
    answers = {a["code"]: a["present"] for a in api_get(f"/api/v1/risk/checklists/{ped17.pk}", polsek).json()}
    assert len(answers) == 22 and answers["2.2"] is True
    assert api_get(f"/api/v1/risk/checklists/{mainland.pk}", polsek).status_code == 404
    release = api_get("/api/v1/risk/release", polsek, election="pemilu-2024").json()
    assert release["stations"] == 198
    classes = api_get("/api/v1/risk/classes", polsek, election="pemilu-2024", limit=1000).json()
    assert classes["count"] == 198 and {c["level"] for c in classes["items"] if c["station_id"] == ped17.pk} == {"sangat_rawan"}
    plan = api_get("/api/v1/guard/plan", polsek, election="pemilu-2024").json()
    assert [d["kecamatan_code"] for d in plan["kecamatans"]] == ["51.05.01"]
    assert sum(len(p["station_ids"]) for p in plan["posts"]) == 198 and plan["gaps"] == []
    assert api_get("/api/v1/guard/plan", token_for(personas.KPU), election="pemilu-2024").status_code == 403
    # The Pilkada has no formation yet: the plan names the gap instead of leaving the TPS out quietly.
    gaps = api_get("/api/v1/guard/plan", polsek, election="pilkada-2024").json()["gaps"]
    assert [(g["kecamatan_code"], g["kecamatan_name"], g["reason"], g["polres"]) for g in gaps] == [("51.05.01", "Nusa Penida", "formasi", "Polres Klungkung")]


@pytest.mark.django_db
def test_submitting_a_checklist_through_the_api(pemilu):
    import json

    from sinergi.stations.models import Station

    ped1 = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=1)
    body = json.dumps({"answers": [{"code": "6.5", "present": True, "note": "Tambang kapur"}]})

    def post(token, payload=body):
        return Client().post(f"/api/v1/risk/checklists/{ped1.pk}", payload, content_type="application/json", headers={"Authorization": f"Bearer {token}"})

    closed = post(token_for(personas.BAWASLU_STAFF))  # the collection stage closed in February 2024
    assert closed.status_code == 400 and "isi alasan" in closed.json()["detail"][0]
    assert post(token_for(personas.POLRES)).status_code == 403
    with_reason = json.dumps({"answers": [{"code": "6.5", "present": True, "note": "Tambang kapur"}], "reason": "Temuan patroli"})
    assert post(token_for(personas.BAWASLU_STAFF), with_reason).json() == {"changed": 1}
    bad = json.dumps({"answers": [{"code": "9.9", "present": True}], "reason": "x"})
    assert post(token_for(personas.BAWASLU_STAFF), bad).status_code == 400


def api_post(path: str, token: str, payload: dict):
    import json

    return Client().post(path, json.dumps(payload), content_type="application/json", headers={"Authorization": f"Bearer {token}"})


@pytest.mark.django_db
def test_checklist_text_is_bounded_and_clean(pemilu):
    ped1 = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=1)
    staff = token_for(personas.BAWASLU_STAFF)
    path = f"/api/v1/risk/checklists/{ped1.pk}"
    assert api_post(path, staff, {"answers": [{"code": "6.5", "present": True, "note": "x" * 301}], "reason": "r"}).status_code == 422
    assert api_post(path, staff, {"answers": [{"code": "6.5", "present": True, "note": "a\x00b"}], "reason": "r"}).status_code == 422
    assert api_post(path, staff, {"answers": [{"code": "6.5", "present": True}], "reason": "r" * 301}).status_code == 422
    assert api_post(path, staff, {"answers": [{"code": "6.5", "present": True, "note": "x" * 300}], "reason": "Perbaikan"}).json() == {"changed": 1}
    read = {a["code"]: a for a in api_get(path, staff).json()}
    assert read["6.5"]["filled_by"] == personas.BAWASLU_STAFF and read["6.5"]["filled_at"] and read["6.5"]["evidence"] is False
    assert any(a["filled_by"] is None and a["filled_at"] is None and not a["present"] for a in read.values())  # never filled


@pytest.mark.django_db
def test_writing_outside_the_area_is_not_found(pemilu):
    mainland = Station.objects.filter(election=pemilu, village__code__startswith="51.05.03.").first()
    polsek = token_for(personas.POLSEK_NUSA_PENIDA)
    assert api_post(f"/api/v1/risk/classes/{mainland.pk}", polsek, {"level": "rawan", "reason": "x"}).status_code == 404
    ptps = token_for(personas.PTPS_PED)
    assert api_post(f"/api/v1/risk/checklists/{mainland.pk}", ptps, {"answers": [{"code": "6.5", "present": True}]}).status_code == 404


@pytest.mark.django_db
def test_the_police_set_a_class_through_the_api(pemilu):
    from sinergi.risk.models import StationClass

    ped17 = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)
    path = f"/api/v1/risk/classes/{ped17.pk}"
    polsek = token_for(personas.POLSEK_NUSA_PENIDA)
    refused = api_post(path, polsek, {"level": "rawan"})
    assert refused.status_code == 400 and "isi alasannya" in refused.json()["detail"][0]
    assert api_post(path, token_for(personas.BAWASLU), {"level": "rawan", "reason": "x"}).status_code == 403
    assert api_post(path, polsek, {"level": "mungkin", "reason": "x"}).status_code == 400
    done = api_post(path, polsek, {"level": "rawan", "reason": "Mediasi adat berhasil"}).json()
    assert done == {"station_id": ped17.pk, "level": "rawan", "suggested": "sangat_rawan", "reason": "Mediasi adat berhasil"}
    assert StationClass.objects.get(station=ped17).level == "rawan"
    assert api_get("/api/v1/risk/classes", token_for(personas.KPU), election="pemilu-2024").status_code == 403


@pytest.mark.django_db
def test_the_release_api_has_villages_and_multi_variable_tps(pemilu):
    ped17 = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)
    release = api_get("/api/v1/risk/release", token_for(personas.BAWASLU), election="pemilu-2024").json()
    intimidation = next(i for i in release["indicators"] if i["code"] == "2.2")
    assert intimidation["by_village"]["51.05.01.2010"] >= 2 and sum(intimidation["by_village"].values()) == intimidation["total"]
    several = {s["station_id"]: s["variables"] for s in release["several_variables"]}
    assert len(several[ped17.pk]) >= 2


@pytest.mark.django_db
def test_risk_endpoints_keep_a_query_budget(pemilu):
    token = token_for(personas.BAWASLU)
    api_get("/api/v1/elections", token)
    budgets = {"/api/v1/risk/release": 8, "/api/v1/risk/classes": 6, "/api/v1/guard/plan": 11}
    for path, budget in budgets.items():
        with CaptureQueriesContext(connection) as queries:
            assert api_get(path, token, election="pemilu-2024", limit=1000).status_code == 200
        assert len(queries) <= budget, (path, len(queries))

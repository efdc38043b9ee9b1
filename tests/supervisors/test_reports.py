"""Form A reports: idempotent on the phone's id, only for the supervisor's own TPS, validated."""

import json
import uuid

import pytest
from django.test import Client

from sinergi.stations.models import Station
from sinergi.supervisors.models import Report
from tests import personas
from tests.api.test_api import token_for


def post(token, payload):
    return Client().post("/api/v1/reports", json.dumps(payload, default=str), content_type="application/json", headers={"Authorization": f"Bearer {token}"})


def opening(station, client_id=None, **answers):
    return {
        "client_id": str(client_id or uuid.uuid4()),
        "station_id": station.pk,
        "stage": "persiapan",
        "answers": {"kotak_tersegel": True, "logistik_lengkap": True, "kpps_hadir": 7, **answers},
        "narrative": "TPS dibuka tertib.",
        "observed_at": "2024-02-14T07:05:00+08:00",
    }


@pytest.mark.django_db
def test_the_same_report_three_times_is_stored_once_with_the_same_answer(ptps, ped17):
    token = token_for(personas.PTPS_PED)
    payload = opening(ped17)
    answers = [post(token, payload) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    bodies = [a.json() for a in answers]
    assert bodies[0]["created"] is True and bodies[1]["created"] is False
    assert {b["number"] for b in bodies} == {bodies[0]["number"]} and bodies[0]["number"].endswith("/LHP/PM.01.03/51.05/02/2024")
    assert Report.objects.filter(client_id=payload["client_id"]).count() == 1


@pytest.mark.django_db
def test_a_report_with_a_token_the_process_knows_checks_it_inside_the_insert(ptps, ped17, monkeypatch):
    from sinergi.accounts import queries

    checked = []
    monkeypatch.setattr(queries, "still_valid", lambda token, real=queries.still_valid: checked.append(token) or real(token))
    token = token_for(personas.PTPS_PED)
    first, second = opening(ped17), opening(ped17)
    assert post(token, first).status_code == 201  # the token is read and kept by the process
    checked.clear()
    assert post(token, second).status_code == 201
    assert checked == []  # no separate token read: the INSERT checked it
    assert Report.objects.filter(client_id__in=[first["client_id"], second["client_id"]], filed_by=ptps).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["revoked", "deactivated"])
def test_a_kept_token_revoked_or_deactivated_is_refused_whatever_the_report(how, ptps, ped17, pemilu):
    from sinergi.accounts.models import ApiToken

    token = token_for(personas.PTPS_PED)
    sent = opening(ped17)
    assert post(token, sent).status_code == 201  # kept by the process from here
    if how == "revoked":
        ApiToken.objects.filter(user=ptps).delete()
    else:
        ptps.is_active = False
        ptps.save(update_fields=["is_active"])
    ped1 = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=1)
    attempts = {
        "new": opening(ped17),
        "repeat": sent,
        "invalid": opening(ped17, kpps_hadir="tujuh"),
        "not its TPS": opening(ped1),
        "no such TPS": {**opening(ped17), "station_id": 10**9},
    }
    answers = {name: post(token, body) for name, body in attempts.items()}
    assert {name: a.status_code for name, a in answers.items()} == dict.fromkeys(attempts, 401)
    assert answers["new"].json() == {"detail": "Unauthorized"}
    assert Report.objects.filter(filed_by=ptps).count() == 1


@pytest.mark.django_db
def test_an_id_reused_for_another_report_is_a_conflict(ptps, ped17):
    token = token_for(personas.PTPS_PED)
    payload = opening(ped17)
    assert post(token, payload).status_code == 201
    other = {**payload, "stage": "pengiriman", "answers": {"dikawal": True, "segel_utuh": True}}
    refused = post(token, other)
    assert refused.status_code == 409 and "sudah dipakai dengan isi lain" in refused.json()["detail"] and refused.json()["fields"] == ["stage", "answers"]


@pytest.mark.django_db
def test_a_ptps_files_only_for_its_own_tps(ptps, pemilu):
    ped1 = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=1)
    refused = post(token_for(personas.PTPS_PED), opening(ped1))
    assert refused.status_code == 403
    assert post(token_for(personas.POLRES), opening(ped1)).status_code == 403
    assert post(token_for(personas.BAWASLU_STAFF), opening(ped1)).status_code == 201  # Bawaslu staff file for their area
    assert not Report.objects.filter(station=ped1, filed_by__username=personas.PTPS_PED).exists()


@pytest.mark.django_db
def test_answers_are_checked_against_the_stage_checklist(ptps, ped17):
    token = token_for(personas.PTPS_PED)
    bad = opening(ped17, kotak_tersegel="mungkin", kpps_hadir=-1, cuaca=True)
    del bad["answers"]["logistik_lengkap"]
    response = post(token, bad)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "Pertanyaan tidak dikenal untuk tahap ini: cuaca." in detail
    assert "'Kotak suara dalam keadaan tersegel sebelum dibuka': jawab ya atau tidak." in detail
    assert "'Perlengkapan pemungutan suara lengkap dan sesuai' wajib dijawab." in detail
    assert "'Jumlah anggota KPPS yang hadir': isi bilangan bulat 0 atau lebih." in detail
    assert not Report.objects.filter(station=ped17, filed_by__isnull=False).exists()
    questions = Client().get("/api/v1/reports/questions", {"election": "pemilu-2024"}, headers={"Authorization": f"Bearer {token}"}).json()
    assert {q["stage"] for q in questions} == {"persiapan", "pemungutan", "penghitungan", "pengiriman"}


@pytest.mark.django_db
def test_the_web_form_a_stores_one_report_even_when_sent_twice(client_of, ptps, ped17):
    client = client_of(personas.PTPS_PED)
    url = f"/pemilihan/pemilu-2024/tps/{ped17.pk}/laporan/?tahap=pengiriman"
    page = client.get(url)
    assert page.status_code == 200 and "Kotak suara dikawal ke PPS" in page.text
    client_id = page.context["form"].initial["client_id"]
    form = {"client_id": str(client_id), "observed_at": "2024-02-14T22:10", "narrative": "Diantar bersama Linmas.", "q_dikawal": "ya", "q_segel_utuh": "tidak"}
    first = client.post(url, form, follow=True)
    second = client.post(url, form, follow=True)
    assert "terkirim" in first.text and "sudah diterima sebelumnya" in second.text
    report = Report.objects.get(client_id=client_id)
    assert report.answers == {"dikawal": True, "segel_utuh": False} and report.observed_at.isoformat() == "2024-02-14T14:10:00+00:00"
    missing = client.post(url, {**form, "client_id": str(uuid.uuid4()), "q_dikawal": ""})
    assert missing.status_code == 400
    ped1 = Station.objects.get(election=ped17.election, village_id="51.05.01.2010", number=1)
    refused = client.post(f"/pemilihan/pemilu-2024/tps/{ped1.pk}/laporan/?tahap=pengiriman", {**form, "client_id": str(uuid.uuid4())})
    assert refused.status_code == 404 and not Report.objects.filter(station=ped1, filed_by__username=personas.PTPS_PED).exists()  # not its TPS
    assert client_of(personas.POLRES).get(url).status_code == 403


@pytest.mark.django_db
def test_the_incidents_api_is_idempotent(ptps, ped17):
    token = token_for(personas.PTPS_PED)
    payload = {"client_id": str(uuid.uuid4()), "station_id": ped17.pk, "category": "intimidasi", "severity": "tinggi", "occurred_at": "2024-02-14T09:15:00+08:00", "description": "Penghadangan pemilih."}

    def send(body):
        return Client().post("/api/v1/reports/incidents", json.dumps(body), content_type="application/json", headers={"Authorization": f"Bearer {token}"})

    assert [send(payload).status_code for _ in range(3)] == [201, 200, 200]
    bad = send({**payload, "client_id": str(uuid.uuid4()), "severity": "parah"})
    assert bad.status_code == 400 and "Tingkat 'parah' tidak dikenal" in bad.json()["detail"][0]


@pytest.mark.django_db
def test_the_field_app_first_load_stays_small(client_of, ptps):
    import re

    from django.contrib.staticfiles import finders

    page = client_of(personas.PTPS_PED).get("/lapangan/")
    assert page.status_code == 200 and 'data-testid="field-form"' in page.text
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', page.text)
    total = len(page.content) + sum(len(open(finders.find(a), "rb").read()) for a in assets)
    assert total < 150 * 1024, total  # the target for a weak 3G connection, before photos
    worker = client_of(personas.PTPS_PED).get("/lapangan/sw.js")
    assert worker["Content-Type"].startswith("text/javascript") and worker["Service-Worker-Allowed"] == "/lapangan/" and "/static/sinergi/lapangan.js" in worker.text
    manifest = client_of(personas.PTPS_PED).get("/lapangan/manifest.webmanifest").json()
    assert manifest["start_url"] == "/lapangan/" and manifest["display"] == "standalone"
    assert client_of(personas.POLRES).get("/lapangan/").status_code == 403


@pytest.mark.django_db
def test_a_batch_files_each_report_on_its_own_and_idempotently(ptps, ped17, pemilu):
    token = token_for(personas.PTPS_PED)
    ped1 = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=1)
    good, other, bad = opening(ped17), opening(ped17) | {"stage": "pengiriman", "answers": {"dikawal": True, "segel_utuh": True}}, opening(ped17, kpps_hadir="tujuh")
    foreign = opening(ped1)

    def batch(reports):
        return Client().post("/api/v1/reports/batch", json.dumps({"reports": reports}), content_type="application/json", headers={"Authorization": f"Bearer {token}"})

    first = batch([good, bad, other, foreign]).json()
    assert [r["status"] for r in first] == [201, 400, 201, 403]
    assert "isi bilangan bulat" in first[1]["detail"][0]
    again = batch([good, other]).json()
    assert [r["status"] for r in again] == [200, 200] and again[0]["number"] == first[0]["number"]
    assert Report.objects.filter(station=ped17, filed_by__username=personas.PTPS_PED).count() == 2


@pytest.mark.django_db
def test_the_demo_has_a_field_account_tied_to_its_post(client_of, ped17):
    from sinergi.supervisors.demo import FIELD_ACCOUNT

    me = client_of(FIELD_ACCOUNT).get("/api/v1/reports/me").json()
    assert me == {"station_id": ped17.pk, "station": "TPS 017 Ped", "election": "pemilu-2024", "time_zone": "Asia/Makassar"}
    assert client_of(personas.BAWASLU).get("/api/v1/reports/me").status_code == 404

"""The chain of custody: states, every refusal, discrepancies as alerts, the return leg, the API's 409."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from sinergi.audit.models import AuditEvent
from sinergi.logistics.custody import (
    CustodyConflict,
    Reported,
    dispatch,
    next_parties,
    record_handover,
    resolve_token,
    start_return,
    token_for,
)
from sinergi.logistics.models import Consignment, Discrepancy
from tests import personas
from tests.api.test_api import token_for as api_token


def hand(actor, consignment, to_party, **extra):
    fields = {"place": "Kantor Desa Ped", "giver_name": "I Made", "receiver_name": "Ni Kadek", "from_party": Consignment.objects.get(pk=consignment.pk).holder}
    return record_handover(actor=actor, consignment=consignment, to_party=to_party, **{**fields, **extra})


@pytest.mark.django_db
def test_a_consignment_holds_the_kit_and_walks_the_chain_to_the_kpps(user_of, consignment, ped17):
    kpu = user_of(personas.KPU)
    assert consignment.contents["surat-suara-dpr"] == ped17.voters + -(-ped17.voters * 2 // 100)
    assert (consignment.state, consignment.holder) == ("direncanakan", "kpu:51.05")
    with pytest.raises(CustodyConflict, match="belum dikirim dari gudang KPU"):
        hand(kpu, consignment, "pps:51.05.01.2010")
    dispatch(actor=kpu, consignment=consignment, seals=["KLK-0001", "KLK-0002"])
    assert next_parties(Consignment.objects.get(pk=consignment.pk)) == ["ppk:51.05.01", "pps:51.05.01.2010"]  # the PPK may be skipped
    with pytest.raises(CustodyConflict, match="bukan penerima berikutnya"):
        hand(kpu, consignment, f"kpps:{ped17.pk}")
    hand(kpu, consignment, "pps:51.05.01.2010", witness_bawaslu="PKD Ped", witness_police="Bhabinkamtibmas Ped")
    c = Consignment.objects.get(pk=consignment.pk)
    assert (c.state, c.holder) == ("dipegang", "pps:51.05.01.2010")
    handover = hand(kpu, consignment, f"kpps:{ped17.pk}")
    c = Consignment.objects.get(pk=consignment.pk)
    assert (c.state, c.holder, handover.sequence, handover.seals) == ("diterima_kpps", f"kpps:{ped17.pk}", 2, ["KLK-0001", "KLK-0002"])
    assert AuditEvent.objects.filter(action="handover.record", object_id=str(c.pk)).count() == 2


@pytest.mark.django_db
def test_every_refusal_names_its_reason(user_of, consignment, ped17):
    kpu = user_of(personas.KPU)
    dispatch(actor=kpu, consignment=consignment, seals=["S1"])
    with pytest.raises(CustodyConflict, match="Kabupaten|sudah dikirim"):
        dispatch(actor=kpu, consignment=consignment, seals=["S1"])
    with pytest.raises(CustodyConflict, match=r"PPS Ped tidak memegang konsinyasi TPS 017 Ped: yang memegang adalah KPU Klungkung"):
        record_handover(actor=kpu, consignment=consignment, from_party="pps:51.05.01.2010", to_party=f"kpps:{ped17.pk}", place="x", giver_name="a", receiver_name="b")
    with pytest.raises(CustodyConflict, match=r"Jumlah tinta \(3\) melebihi yang dikirim \(2\)"):
        hand(kpu, consignment, "pps:51.05.01.2010", counts={"tinta": 3})
    with pytest.raises(ValidationError, match="Isi tempat"):
        hand(kpu, consignment, "pps:51.05.01.2010", place=" ")
    hand(kpu, consignment, "pps:51.05.01.2010")
    hand(kpu, consignment, f"kpps:{ped17.pk}")
    with pytest.raises(CustodyConflict, match="sudah diterima KPPS pada"):
        hand(kpu, consignment, f"kpps:{ped17.pk}")
    assert Consignment.objects.get(pk=consignment.pk).handovers.count() == 2  # nothing half-written


@pytest.mark.django_db
def test_only_kpu_records_and_only_in_its_area(user_of, consignment, pemilu):
    for username in (personas.BAWASLU, personas.POLRES, personas.JAKSA):
        with pytest.raises(PermissionDenied):
            dispatch(actor=user_of(username), consignment=consignment, seals=[])
    from sinergi.accounts.models import Agency
    from sinergi.accounts.services import ensure_user

    kpu_np = ensure_user(actor=None, username="kpu-np", agency=Agency.objects.get(kind="kpu"), role="staff", full_name="KPU NP", password="x" * 12, area_code="51.05.04")
    with pytest.raises(PermissionDenied, match="di luar wilayah"):
        dispatch(actor=kpu_np, consignment=consignment, seals=[])


@pytest.mark.django_db
def test_shortfalls_excess_damage_and_swapped_ballots_are_alerts(user_of, consignment, ped17):
    kpu = user_of(personas.KPU)
    dispatch(actor=kpu, consignment=consignment, seals=["S1"])
    dpr = consignment.contents["surat-suara-dpr"]
    hand(kpu, consignment, "pps:51.05.01.2010", counts={"surat-suara-dpr": dpr - 3})
    handover = hand(
        kpu, consignment, f"kpps:{ped17.pk}", counts={"surat-suara-dpr": dpr - 1}, reported=[Reported("dapil_lain", "surat-suara-dprd-kabkota", 40, "Dapil Klungkung 2")]
    )
    found = {(d.handover.sequence, d.kind, d.item_code, d.quantity) for d in Discrepancy.objects.filter(handover__consignment=consignment)}
    assert found == {(1, "kurang", "surat-suara-dpr", 3), (2, "lebih", "surat-suara-dpr", 2), (2, "dapil_lain", "surat-suara-dprd-kabkota", 40)}
    assert handover.discrepancies.count() == 2


@pytest.mark.django_db
def test_the_return_leg_runs_the_chain_backwards(user_of, consignment, ped17, pemilu):
    kpu = user_of(personas.KPU)
    dispatch(actor=kpu, consignment=consignment, seals=["S1"])
    hand(kpu, consignment, "pps:51.05.01.2010")
    hand(kpu, consignment, f"kpps:{ped17.pk}", counts={"tinta": 1})
    assert start_return(actor=kpu, election=pemilu) == 1
    back = Consignment.objects.get(station=ped17, direction="kembali")
    assert (back.state, back.holder, back.contents["tinta"]) == ("dipegang", f"kpps:{ped17.pk}", 1)
    assert next_parties(back) == ["pps:51.05.01.2010"]
    hand(kpu, back, "pps:51.05.01.2010")
    assert next_parties(Consignment.objects.get(pk=back.pk)) == ["ppk:51.05.01", "kpu:51.05"]
    hand(kpu, back, "ppk:51.05.01")
    hand(kpu, back, "kpu:51.05")
    assert Consignment.objects.get(pk=back.pk).state == "kembali_ke_kpu"
    with pytest.raises(CustodyConflict, match="sudah kembali di KPU"):
        hand(kpu, back, "kpu:51.05")
    assert start_return(actor=kpu, election=pemilu) == 0


def test_qr_tokens_are_signed():
    token = token_for("c", 12)
    assert resolve_token(token) == ("c", 12) and "12" not in token[:3]
    with pytest.raises(PermissionDenied, match="Kode QR tidak sah"):
        resolve_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))


def post(path, token, payload):
    return Client().post(path, json.dumps(payload), content_type="application/json", headers={"Authorization": f"Bearer {token}"})


@pytest.mark.django_db
def test_the_api_refuses_with_409_and_explains(user_of, consignment, ped17):
    kpu = api_token(personas.KPU)
    base = f"/api/v1/logistics/consignments/{consignment.pk}"
    assert post(f"{base}/dispatch", kpu, {"seals": ["KLK-9"]}).json()["state"] == "dikirim"
    body = {"from_party": "kpu:51.05", "to_party": "pps:51.05.01.2010", "place": "Kantor Desa Ped", "giver_name": "A", "receiver_name": "B"}
    wrong_holder = post(f"{base}/handovers", kpu, {**body, "from_party": "ppk:51.05.01"})
    assert wrong_holder.status_code == 409 and "tidak memegang konsinyasi" in wrong_holder.json()["detail"]
    too_many = post(f"{base}/handovers", kpu, {**body, "counts": {"bilik-suara": 9}})
    assert too_many.status_code == 409 and "melebihi yang dikirim (4)" in too_many.json()["detail"]
    done = post(f"{base}/handovers", kpu, {**body, "counts": {"bilik-suara": 3}})
    assert done.status_code == 201 and done.json()["discrepancies"] == [{"kind": "kurang", "item_code": "bilik-suara", "quantity": 1, "note": ""}]
    kpps = {**body, "from_party": "pps:51.05.01.2010", "to_party": f"kpps:{ped17.pk}"}
    assert post(f"{base}/handovers", kpu, kpps).status_code == 201
    again = post(f"{base}/handovers", kpu, kpps)
    assert again.status_code == 409 and "sudah diterima KPPS" in again.json()["detail"]
    assert post(f"{base}/handovers", api_token(personas.BAWASLU), kpps).status_code == 403
    read = Client().get(base, headers={"Authorization": f"Bearer {api_token(personas.BAWASLU)}"}).json()
    assert read["state"] == "diterima_kpps" and read["holder_label"] == "KPPS TPS 017 Ped"
    assert Client().get(base, headers={"Authorization": f"Bearer {api_token(personas.JAKSA)}"}).status_code == 403


@pytest.mark.django_db
def test_the_consignment_list_reads_one_page(consignment):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token = api_token(personas.BAWASLU)
    headers = {"Authorization": f"Bearer {token}"}
    Client().get("/api/v1/elections", headers=headers)
    with CaptureQueriesContext(connection) as small:
        page = Client().get("/api/v1/logistics/consignments", {"election": "pemilu-2024", "limit": 5}, headers=headers).json()
    with CaptureQueriesContext(connection) as large:
        big = Client().get("/api/v1/logistics/consignments", {"election": "pemilu-2024", "limit": 500, "offset": 100}, headers=headers).json()
    assert page["count"] == big["count"] == 649 and len(page["items"]) == 5 and len(big["items"]) == 500
    assert page["items"][0]["holder_label"] == "KPU Klungkung"
    assert len(large) == len(small) <= 8
    filtered = Client().get("/api/v1/logistics/consignments", {"election": "pemilu-2024", "state": "dikirim"}, headers=headers).json()
    assert filtered["count"] == 0


@pytest.mark.django_db
def test_a_handover_photo_is_decoded_and_named_by_its_type(user_of, consignment):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    kpu = user_of(personas.KPU)
    dispatch(actor=kpu, consignment=consignment, seals=["KLK-0001"])
    with pytest.raises(ValidationError, match="bukan gambar PNG yang utuh"):
        hand(kpu, consignment, "pps:51.05.01.2010", photo=SimpleUploadedFile("serah.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"))
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    handover = hand(kpu, consignment, "pps:51.05.01.2010", photo=SimpleUploadedFile("serah.html", buffer.getvalue()))
    assert handover.photo.name.endswith(f"serah-terima-{handover.pk}.jpg"), handover.photo.name

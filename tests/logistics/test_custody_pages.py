"""Custody through the pages: the board, a consignment's forms, QR codes, the printed documents."""

import io
import re

import pytest
from pypdf import PdfReader

from sinergi.logistics.custody import create_consignments, dispatch, token_for
from sinergi.logistics.models import Consignment, DistributionPlan
from tests import personas


def url(c, suffix=""):
    return f"/pemilihan/pemilu-2024/logistik/konsinyasi/{c.pk}/{suffix}"


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_kpu_dispatches_and_records_handovers_on_the_page(client_of, consignment, ped17):
    kpu = client_of(personas.KPU)
    page = kpu.get(url(consignment))
    assert page.status_code == 200 and 'data-testid="dispatch-form"' in page.text and 'data-testid="handover-form"' not in page.text
    kpu.post(url(consignment), {"dispatch": "1", "seals": "KLK-1, KLK-2"})
    assert Consignment.objects.get(pk=consignment.pk).seals == ["KLK-1", "KLK-2"]
    form = {
        "handover": "1", "to_party": "pps:51.05.01.2010", "place": "Kantor Desa Ped", "handed_at": "2024-02-11T11:20",
        "giver_name": "I Made", "receiver_name": "Ni Kadek", "witness_bawaslu": "PKD Ped", "witness_police": "Bhabinkamtibmas", "seals": "KLK-1, KLK-2",
        **{f"count_{code}": str(count) for code, count in consignment.contents.items()},
    }  # fmt: skip
    too_many = kpu.post(url(consignment), {**form, "count_tinta": "5"})
    assert too_many.status_code == 409 and "melebihi yang dikirim (2)" in too_many.text
    done = kpu.post(url(consignment), {**form, "finding_kind": "rusak", "finding_item": "bilik-suara", "finding_quantity": "1", "finding_note": "Basah kena hujan"}, follow=True)
    assert "Serah terima ke-1 dicatat." in done.text and "Rusak: Bilik pemungutan suara 1 — Basah kena hujan" in done.text
    c = Consignment.objects.get(pk=consignment.pk)
    handover = c.handovers.get()
    assert (c.holder, handover.handed_at.isoformat()) == ("pps:51.05.01.2010", "2024-02-11T03:20:00+00:00")  # 11.20 WITA
    assert client_of(personas.BAWASLU).post(url(consignment), form).status_code == 403
    assert 'data-testid="handover-form"' not in client_of(personas.BAWASLU).get(url(consignment)).text
    ba = kpu.get(url(consignment, "berita-acara/1.pdf"))
    text = pdf_text(ba.content)
    assert "BERITA ACARA SERAH TERIMA" in text.upper() and "KPU Klungkung" in text and "PPS Ped" in text and "KLK-1, KLK-2" in text and "Ni Kadek" in text
    assert "Rusak: Bilik pemungutan suara sebanyak 1 — Basah kena hujan" in text
    assert len(re.findall(rb"/Subtype\s*/Image", ba.content)) == 1  # the QR code


@pytest.mark.django_db
def test_a_qr_code_opens_the_record_only_for_those_allowed(client_of, consignment):
    dispatch(actor=None, consignment=consignment, seals=["KLK-5"])
    token = token_for("c", consignment.pk)
    page = client_of(personas.KPU).get(f"/logistik/qr/{token}/")
    assert page.status_code == 200 and 'name="via" value="qr"' in page.text
    assert client_of(personas.JAKSA).get(f"/logistik/qr/{token}/").status_code == 403
    from sinergi.accounts.models import Agency
    from sinergi.accounts.services import ensure_user

    ensure_user(actor=None, username="kpu-dawan", agency=Agency.objects.get(kind="kpu"), role="staff", full_name="KPU Dawan", password="x" * 12, area_code="51.05.04")
    assert client_of("kpu-dawan").get(f"/logistik/qr/{token}/").status_code == 403
    assert client_of(personas.KPU).get(f"/logistik/qr/{token[:-3]}xyz/").status_code == 403
    assert client_of(personas.KPU).get(f"/pemilihan/pemilu-2024/logistik/konsinyasi/{consignment.pk}/").status_code == 200
    anonymous = client_of(personas.KPU).__class__().get(f"/logistik/qr/{token}/")
    assert anonymous.status_code == 302 and "/akun/masuk/" in anonymous["Location"]


@pytest.mark.django_db
def test_the_demo_chain_shows_progress_and_one_discrepancy(client_of, pemilu, klungkung_plan):
    from sinergi.logistics.demo import seed_custody

    DistributionPlan.objects.create(election=pemilu, district_id="51.05", reason="awal", data=klungkung_plan)
    assert seed_custody(pemilu) > 198
    board = client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/logistik/status/")
    totals = board.context["board"].total
    assert totals["lengkap"] + totals["sebagian"] == 198 and totals["belum"] == 451
    alerts = [a.text for a in board.context["board"].alerts if a.kind == "temuan"]
    assert alerts == ["TPS 001 Ped: kurang 3 Surat suara DPR RI saat serah terima ke-2"]
    assert "Keadaan per 12 Feb 2024" in board.text
    later = client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/logistik/status/?pada=2024-02-13T12:00")
    late = [a for a in later.context["board"].alerts if a.kind == "konvoi"]
    assert late and all("terlambat" in a.text for a in late)  # the mainland convoys were due that morning
    assert any(a.kind == "tenggat" for a in later.context["board"].alerts)
    layer = client_of(personas.POLSEK_NUSA_PENIDA).get("/pemilihan/pemilu-2024/logistik/status/peta.json").json()
    assert len(layer) == 198 and {v["status"] for v in layer.values()} <= {"lengkap", "sebagian"}
    assert client_of(personas.JAKSA).get("/pemilihan/pemilu-2024/logistik/status/").status_code == 403


@pytest.mark.django_db
def test_the_surat_jalan_lists_the_convoy_and_a_qr_per_kit(client_of, pemilu, klungkung_plan, user_of):
    DistributionPlan.objects.create(election=pemilu, district_id="51.05", reason="awal", data=klungkung_plan)
    create_consignments(actor=None, election=pemilu)
    convoy = next(c for c in klungkung_plan["convoys"] if c["kind"] == "pulau" and c["crossing"].startswith("Padangbai"))
    first = next(sid for stop in convoy["stops"] for sid in stop["station_ids"])
    dispatch(actor=None, consignment=Consignment.objects.get(station_id=first, direction="keluar"), seals=["KLK-77"])
    response = client_of(personas.POLRES).get(f"/pemilihan/pemilu-2024/logistik/distribusi/{convoy['id']}/surat-jalan.pdf")
    text = pdf_text(response.content)
    assert "SURAT JALAN" in text.upper() and convoy["vehicle"] in text and convoy["escort"] in text and "KLK-77" in text
    images = len(re.findall(rb"/Subtype\s*/Image", response.content))
    assert images >= convoy["kits"]  # one QR per kit (and one for the convoy)
    assert client_of(personas.POLRES).get("/pemilihan/pemilu-2024/logistik/distribusi/9999-99/surat-jalan.pdf").status_code == 404


@pytest.mark.django_db
def test_kpu_creates_consignments_and_starts_the_return_from_the_board(client_of, user_of, pemilu, ped17):
    kpu = client_of(personas.KPU)
    assert "Buat konsinyasi untuk 649 TPS" in kpu.get("/pemilihan/pemilu-2024/logistik/status/").text
    assert "649 konsinyasi dibuat" in kpu.post("/pemilihan/pemilu-2024/logistik/status/", {"create": "1", "confirm": "1"}, follow=True).text
    c = Consignment.objects.get(station=ped17, direction="keluar")
    dispatch(actor=None, consignment=c, seals=["S"])
    from sinergi.logistics.custody import record_handover

    record_handover(actor=None, consignment=c, from_party="kpu:51.05", to_party="pps:51.05.01.2010", place="x", giver_name="a", receiver_name="b")
    record_handover(actor=None, consignment=c, from_party="pps:51.05.01.2010", to_party=f"kpps:{ped17.pk}", place="x", giver_name="a", receiver_name="b")
    done = kpu.post("/pemilihan/pemilu-2024/logistik/status/", {"start_return": "1", "confirm": "1"}, follow=True)
    assert "1 konsinyasi pengembalian dibuat" in done.text and 'data-testid="returns"' in done.text
    back = Consignment.objects.get(station=ped17, direction="kembali")
    page = kpu.get(url(back))
    assert "Pengembalian ke KPU" in page.text and 'data-testid="handover-form"' in page.text
    assert client_of(personas.BAWASLU).post("/pemilihan/pemilu-2024/logistik/status/", {"start_return": "1"}).status_code == 403


@pytest.mark.django_db
def test_the_plan_in_excel(client_of, pemilu, klungkung_plan):
    from openpyxl import load_workbook

    DistributionPlan.objects.create(election=pemilu, district_id="51.05", reason="awal", data=klungkung_plan)
    book = load_workbook(io.BytesIO(client_of(personas.KPU).get("/pemilihan/pemilu-2024/logistik/distribusi/rencana.xlsx").content))
    assert book.sheetnames == ["Konvoi", "Perhentian", "Terlambat"]
    assert book["Konvoi"].max_row - 1 == len(klungkung_plan["convoys"])
    delivered = sum(row[6] for row in book["Perhentian"].iter_rows(min_row=2, values_only=True) if row[0] in {c["id"] for c in klungkung_plan["convoys"] if c["kind"] in ("darat", "pulau")})
    assert delivered == 649
    polsek = load_workbook(io.BytesIO(client_of(personas.POLSEK_NUSA_PENIDA).get("/pemilihan/pemilu-2024/logistik/distribusi/rencana.xlsx").content))
    assert {row[1] for row in polsek["Konvoi"].iter_rows(min_row=2, values_only=True)} == {"2024-02-11"}  # only the island's convoys


@pytest.mark.django_db
def test_the_public_sees_nothing(consignment):
    from django.test import Client

    anonymous = Client()
    for path in ("/pemilihan/pemilu-2024/logistik/", "/pemilihan/pemilu-2024/logistik/status/", "/pemilihan/pemilu-2024/logistik/distribusi/", url(consignment)):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    for path in ("/api/v1/logistics/requirements?election=pemilu-2024", f"/api/v1/logistics/consignments/{consignment.pk}"):
        assert anonymous.get(path).status_code == 401


@pytest.mark.django_db
def test_the_delivery_day_layer(client_of, pemilu, klungkung_plan):
    DistributionPlan.objects.create(election=pemilu, district_id="51.05", reason="awal", data=klungkung_plan)
    layer = client_of(personas.POLSEK_NUSA_PENIDA).get("/pemilihan/pemilu-2024/logistik/distribusi/peta.json").json()
    assert len(layer) == 198 and {v["h"] for v in layer.values()} == {3}
    everything = client_of(personas.KPU).get("/pemilihan/pemilu-2024/logistik/distribusi/peta.json").json()
    assert len(everything) == 649 and {v["h"] for v in everything.values()} == {3, 1}
    assert client_of(personas.JAKSA).get("/pemilihan/pemilu-2024/logistik/distribusi/peta.json").status_code == 403

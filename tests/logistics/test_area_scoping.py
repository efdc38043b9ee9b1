"""Logistics pages and documents as a user of one kecamatan sees them (issue 13, item 16).

A convoy shared between Nusa Penida and the mainland: a Nusa Penida user sees the convoy's
vehicle, escorts and times and Nusa Penida's TPS in full, and the mainland's only as a count.
Every page, document, export and map layer of logistics is tried with users of Nusa Penida."""

import copy
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from sinergi.logistics.custody import create_consignments, dispatch, record_handover
from sinergi.logistics.models import Consignment, DistributionPlan
from sinergi.stations.models import Station
from tests import personas

# The Polsek of Nusa Penida, and a KPU Klungkung officer whose area is narrowed to Nusa Penida (the
# Panwascam has no logistics permission: it is refused, see the last test).
KPU_NUSA_PENIDA = "kpu-nusapenida"
VIEWERS = [personas.POLSEK_NUSA_PENIDA, KPU_NUSA_PENIDA]
BASE = "/pemilihan/pemilu-2024/logistik/"


@pytest.fixture(autouse=True)
def kpu_nusa_penida(db):
    from sinergi.accounts.models import Agency, User
    from sinergi.accounts.services import ensure_user

    kpu = Agency.objects.get(kind=Agency.Kind.KPU, users__username=personas.KPU)
    ensure_user(actor=None, username=KPU_NUSA_PENIDA, agency=kpu, role=User.Role.STAFF, full_name="KPU Nusa Penida", password=personas.PASSWORD, area_code="51.05.01")


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def shared(pemilu, klungkung_plan):
    """The demo plan with a Nusa Penida convoy that also carries three mainland TPS (a stop in a
    mainland village), stored as the latest plan; every kit has its consignment."""
    mainland = list(Station.objects.filter(election=pemilu).exclude(village__code__startswith="51.05.01.").select_related("village").order_by("village_id", "number")[:3])
    village = mainland[0].village
    mainland = [s for s in mainland if s.village_id == village.code]
    data = copy.deepcopy(klungkung_plan)
    convoy = next(c for c in data["convoys"] if c["kind"] == "pulau")
    last = convoy["stops"][-1]
    convoy["stops"].append({"place": village.name, "village_code": village.code, "arrive": last["depart"], "depart": last["depart"], "station_ids": [s.pk for s in mainland]})
    DistributionPlan.objects.create(election=pemilu, district_id="51.05", reason="konvoi bersama", data=data)
    create_consignments(actor=None, election=pemilu)
    own = next(sid for stop in convoy["stops"] for sid in stop["station_ids"] if sid not in {s.pk for s in mainland})
    return {"convoy": convoy, "mainland": mainland, "village": village, "own": Station.objects.select_related("village").get(pk=own)}


def assert_no_mainland(text: str, shared) -> None:
    village = shared["village"]
    assert village.name not in text and village.code not in text
    for station in shared["mainland"]:
        assert str(station) not in text


@pytest.mark.django_db
@pytest.mark.parametrize("username", VIEWERS)
def test_the_distribution_page_shows_the_shared_convoy_without_the_other_kecamatan(client_of, shared, username):
    response = client_of(username).get(f"{BASE}distribusi/")
    assert response.status_code == 200
    row = response.text.split(f'id="konvoi-{shared["convoy"]["id"]}"')[1].split("</tr>")[0]
    assert shared["convoy"]["vehicle"] in row and shared["convoy"]["escort"] in row
    assert f"{shared['own'].number}" in row and shared["own"].village.name in row
    assert "dan 3 TPS di luar wilayah Anda" in row
    assert_no_mainland(row, shared)
    # The old page wrote the database id where it had no TPS number.
    assert "TPS " + ", ".join(str(s.pk) for s in shared["mainland"]) not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("username", VIEWERS)
def test_the_surat_jalan_lists_only_the_viewers_tps_and_counts_the_others(client_of, shared, username):
    response = client_of(username).get(f"{BASE}distribusi/{shared['convoy']['id']}/surat-jalan.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert shared["convoy"]["vehicle"] in text and str(shared["own"]) in text
    assert "3 TPS lain di luar wilayah Anda" in text
    assert_no_mainland(text, shared)


@pytest.mark.django_db
def test_the_surat_jalan_of_a_mainland_only_convoy_is_not_found(client_of, shared, klungkung_plan):
    mainland_only = next(c for c in klungkung_plan["convoys"] if c["kind"] == "darat" and all(s["village_code"] is None or not s["village_code"].startswith("51.05.01.") for s in c["stops"]))
    assert client_of(personas.POLSEK_NUSA_PENIDA).get(f"{BASE}distribusi/{mainland_only['id']}/surat-jalan.pdf").status_code == 404
    assert client_of(personas.POLRES).get(f"{BASE}distribusi/{mainland_only['id']}/surat-jalan.pdf").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("username", VIEWERS)
def test_the_plan_in_excel_cuts_the_shared_convoy(client_of, shared, username):
    response = client_of(username).get(f"{BASE}distribusi/rencana.xlsx")
    book = load_workbook(io.BytesIO(response.getvalue()))
    cells = " ".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    assert_no_mainland(cells, shared)
    header, *rows = list(book["Konvoi"].iter_rows(values_only=True))
    row = next(r for r in rows if r[0] == shared["convoy"]["id"])
    assert row[header.index("tps_kecamatan_lain")] == 3


@pytest.mark.django_db
@pytest.mark.parametrize("username", VIEWERS)
def test_map_layers_board_and_requirements_hold_only_the_viewers_tps(client_of, shared, username):
    client = client_of(username)
    mainland_ids = {str(s.pk) for s in shared["mainland"]}
    for layer in ("distribusi/peta.json", "status/peta.json"):
        keys = set(client.get(f"{BASE}{layer}").json())
        assert keys and not keys & mainland_ids, layer
    board = client.get(f"{BASE}status/")
    assert board.status_code == 200
    assert_no_mainland(board.text, shared)
    for export in ("kebutuhan.csv", "kebutuhan.xlsx", "kebutuhan.pdf"):
        response = client.get(f"{BASE}{export}")
        assert response.status_code == 200, export
        if export.endswith(".csv"):
            assert_no_mainland(response.getvalue().decode("utf-8-sig"), shared)
        elif export.endswith(".pdf"):
            assert_no_mainland(pdf_text(response.content), shared)
        else:
            book = load_workbook(io.BytesIO(response.getvalue()))
            assert_no_mainland(" ".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None), shared)


@pytest.mark.django_db
@pytest.mark.parametrize("username", VIEWERS)
def test_a_mainland_consignment_and_its_berita_acara_are_not_found(client_of, shared, username):
    station = shared["mainland"][0]
    c = Consignment.objects.get(station=station, direction="keluar")
    dispatch(actor=None, consignment=c, seals=["S"])
    record_handover(actor=None, consignment=c, from_party="kpu:51.05", to_party=f"pps:{station.village_id}", place="x", giver_name="a", receiver_name="b")
    client = client_of(username)
    assert client.get(f"{BASE}konsinyasi/{c.pk}/").status_code == 404
    assert client.get(f"{BASE}konsinyasi/{c.pk}/berita-acara/1.pdf").status_code == 404
    own = Consignment.objects.get(station=shared["own"], direction="keluar")
    assert client.get(f"{BASE}konsinyasi/{own.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_panwascam_reads_no_logistics(client_of, shared):
    assert client_of(personas.PANWASCAM_NUSA_PENIDA).get(f"{BASE}distribusi/").status_code == 403

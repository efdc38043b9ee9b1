"""Logistics requirements: the ballot rule, totals, reserves, outputs and who sees them."""

import csv
import io
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from sinergi.audit.models import AuditEvent
from sinergi.logistics.requirement_queries import requirements_for
from sinergi.logistics.requirements import ballots_with_reserve
from sinergi.logistics.services import set_reserve
from sinergi.regions.models import Region
from sinergi.stations.models import Station
from tests import personas


@pytest.mark.parametrize(
    ("voters", "percent", "ballots"),
    [(250, "2", 255), (526, "2.5", 540), (0, "2", 0), (1, "2", 2), (300, "2.00", 306), (600, "2.50", 615), (49, "2", 50), (50, "2", 51)],
)
def test_ballots_are_voters_plus_the_reserve_rounded_up(voters, percent, ballots):
    assert ballots_with_reserve(voters, Decimal(percent)) == ballots


@given(st.integers(min_value=0, max_value=1000), st.integers(min_value=0, max_value=1000))
def test_the_reserve_is_the_smallest_whole_number_covering_the_percentage(voters, hundredths):
    reserve = ballots_with_reserve(voters, Decimal(hundredths) / 100) - voters
    exact = Fraction(voters * hundredths, 10_000)
    assert exact <= reserve < exact + 1


def test_a_percentage_finer_than_hundredths_is_refused():
    with pytest.raises(ValueError):
        ballots_with_reserve(100, Decimal("2.005"))


def command_rows(slug: str, *extra: str) -> list[dict]:
    out = io.StringIO()
    call_command("logistics_requirements", "--election", slug, *extra, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.django_db
def test_the_command_for_one_district_leaves_another_district_out(pemilu):
    Region.objects.create(code="51.71", name="Denpasar", kind=Region.Kind.KOTA, parent_id="51", level=2)
    Region.objects.create(code="51.71.01", name="Denpasar Selatan", kind=Region.Kind.KECAMATAN, parent_id="51.71", level=3)
    Region.objects.create(code="51.71.01.1001", name="Sesetan", kind=Region.Kind.KELURAHAN, parent_id="51.71.01", level=4)
    Station.objects.create(election=pemilu, village_id="51.71.01.1001", number=1, voters=250)
    every = {r["kode_desa"] for r in command_rows("pemilu-2024")}
    klungkung = {r["kode_desa"] for r in command_rows("pemilu-2024", "--district", "51.05")}
    assert "51.71.01.1001" in every and "51.71.01.1001" not in klungkung and klungkung == every - {"51.71.01.1001"}
    assert {r["kode_desa"] for r in command_rows("pemilu-2024", "--district", "51.71")} == {"51.71.01.1001"}
    with pytest.raises(CommandError, match="Kabupaten/kota '51' tidak dikenal"):
        command_rows("pemilu-2024", "--district", "51")


@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "percent", "stations", "ballot_types"), [("pemilu-2024", "0.02", 649, 5), ("pilkada-2024", "0.025", 335, 2)])
def test_the_command_matches_the_rule_for_every_tps(slug, percent, stations, ballot_types):
    rows = command_rows(slug)
    voters = {(s.village_id, s.number): s.voters for s in Station.objects.filter(election__slug=slug)}
    assert len(voters) == stations and len(rows) == stations * (ballot_types + 5)
    ballots = [r for r in rows if r["kode_barang"].startswith("surat-suara-")]
    assert len(ballots) == stations * ballot_types
    for row in ballots:
        dpt = voters[(row["kode_desa"], int(row["nomor_tps"]))]
        assert int(row["pemilih"]) == dpt
        assert int(row["jumlah"]) == dpt + math.ceil(Fraction(percent) * dpt)
    fixed = {(r["kode_barang"], r["jumlah"]) for r in rows if not r["kode_barang"].startswith("surat-suara-")}
    assert fixed == {("kotak-suara", str(ballot_types)), ("bilik-suara", "4"), ("tinta", "2"), ("segel", str(ballot_types)), ("formulir", "1")}


@pytest.mark.django_db
def test_nusa_penida_needs_what_was_shipped_in_2024(user_of, pemilu):
    result = requirements_for(user_of(personas.BAWASLU), pemilu)
    nusa_penida = result.by_kecamatan["51.05.01"]
    # docs/domain.md §6: 990 boxes, 792 booths, 198 outer kits for 198 TPS.
    assert (nusa_penida.stations, nusa_penida.items["kotak-suara"], nusa_penida.items["bilik-suara"], nusa_penida.items["formulir"]) == (198, 990, 792, 198)
    assert sum(t.items["surat-suara-dpr"] for t in result.by_kecamatan.values()) == result.total.items["surat-suara-dpr"]
    assert sum(t.voters for t in result.by_village.values()) == result.total.voters == 167_052
    assert result.reserves["surat-suara-dpr"] == 1000
    assert result.grand_total("surat-suara-dpr") == result.total.items["surat-suara-dpr"] + 1000


@pytest.mark.django_db
def test_a_kecamatan_user_sees_its_tps_and_no_district_reserve(user_of, pemilu):
    result = requirements_for(user_of(personas.POLSEK_NUSA_PENIDA), pemilu)
    assert result.total.stations == 198 and list(result.by_kecamatan) == ["51.05.01"]
    assert result.reserves == {}


@pytest.mark.django_db
def test_who_sees_and_who_sets(user_of, pemilu):
    for username in (personas.KPU, personas.BAWASLU, personas.BAWASLU_STAFF, personas.POLRES, personas.POLSEK_NUSA_PENIDA):
        requirements_for(user_of(username), pemilu)
    for username in (personas.JAKSA, personas.PTPS_PED, personas.PANWASCAM_NUSA_PENIDA, personas.NO_AGENCY):
        with pytest.raises(PermissionDenied):
            requirements_for(user_of(username), pemilu)
    klungkung = Region.objects.get(code="51.05")
    for username in (personas.BAWASLU, personas.POLRES):
        with pytest.raises(PermissionDenied):
            set_reserve(actor=user_of(username), election=pemilu, region=klungkung, item_code="tinta", quantity=10)
    set_reserve(actor=user_of(personas.KPU), election=pemilu, region=klungkung, item_code="tinta", quantity=10)
    assert requirements_for(user_of(personas.KPU), pemilu).reserves["tinta"] == 10
    event = AuditEvent.objects.filter(action="reserve.save").latest("id")
    assert event.changes == {"jumlah": [0, 10]} and event.actor_username == personas.KPU


@pytest.mark.django_db
def test_bad_reserves_are_refused_in_indonesian(user_of, pemilu):
    kpu = user_of(personas.KPU)
    with pytest.raises(ValidationError, match="Cadangan disimpan di kabupaten/kota, bukan di Kecamatan Nusa Penida"):
        set_reserve(actor=kpu, election=pemilu, region=Region.objects.get(code="51.05.01"), item_code="tinta", quantity=1)
    klungkung = Region.objects.get(code="51.05")
    with pytest.raises(ValidationError, match="Barang 'payung' bukan bagian dari perlengkapan Pemilu 2024"):
        set_reserve(actor=kpu, election=pemilu, region=klungkung, item_code="payung", quantity=1)
    with pytest.raises(ValidationError, match="tidak boleh negatif"):
        set_reserve(actor=kpu, election=pemilu, region=klungkung, item_code="tinta", quantity=-1)


@pytest.mark.django_db
def test_the_page_the_reserve_form_and_the_downloads(client_of):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    kpu = client_of(personas.KPU)
    page = kpu.get("/pemilihan/pemilu-2024/logistik/")
    assert page.status_code == 200 and 'data-testid="reserve-form"' in page.text and "Kotak suara" in page.text
    bad = kpu.post("/pemilihan/pemilu-2024/logistik/", {"item": "tinta", "quantity": "-5"})
    assert bad.status_code == 400
    saved = kpu.post("/pemilihan/pemilu-2024/logistik/", {"item": "tinta", "quantity": "50"}, follow=True)
    assert "Cadangan disimpan." in saved.text
    polres = client_of(personas.POLRES)
    assert 'data-testid="reserve-form"' not in polres.get("/pemilihan/pemilu-2024/logistik/").text
    assert polres.post("/pemilihan/pemilu-2024/logistik/", {"item": "tinta", "quantity": "1"}).status_code == 403
    assert client_of(personas.JAKSA).get("/pemilihan/pemilu-2024/logistik/").status_code == 403
    book = load_workbook(io.BytesIO(kpu.get("/pemilihan/pemilu-2024/logistik/kebutuhan.xlsx").getvalue()))
    assert book.sheetnames == ["Per TPS", "Per desa", "Per kecamatan", "Rekap"]
    assert book["Per TPS"].max_row == 650 and book["Per desa"].max_row == 60 and book["Per kecamatan"].max_row == 5
    recap = {row[0]: row for row in book["Rekap"].iter_rows(min_row=2, values_only=True)}
    assert recap["tinta"][3:] == (1298, 50, 1348)
    pdf = kpu.get("/pemilihan/pemilu-2024/logistik/kebutuhan.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "REKAPITULASI KEBUTUHAN LOGISTIK" in text.upper() and "KPU KABUPATEN KLUNGKUNG" in text.upper() and "1.348" in text


@pytest.mark.django_db
def test_the_api_is_scoped():
    from django.test import Client

    from tests.api.test_api import token_for

    def get(username):
        return Client().get("/api/v1/logistics/requirements", {"election": "pemilu-2024"}, headers={"Authorization": f"Bearer {token_for(username)}"})

    polsek = get(personas.POLSEK_NUSA_PENIDA).json()
    assert polsek["stations"] == 198 and [d["code"] for d in polsek["by_kecamatan"]] == ["51.05.01"]
    boxes = next(i for i in polsek["items"] if i["code"] == "kotak-suara")
    assert boxes == {"code": "kotak-suara", "name": "Kotak suara (satu per jenis surat suara)", "unit": "buah", "for_stations": 990, "reserve": 0, "total": 990}
    assert get(personas.JAKSA).status_code == 403

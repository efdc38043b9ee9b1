"""`sinergi setup-district`: a district's agencies in one step, from the loaded regions; the demo's path."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from sinergi.accounts.models import Agency, PolsekCoverage, User
from sinergi.accounts.permissions import Perm, can
from sinergi.accounts.services import ensure_user
from sinergi.audit.models import AuditEvent
from sinergi.regions import demo as regions_demo
from sinergi.regions.models import Region
from sinergi.regions.queries import within

K = Agency.Kind


def run(*args) -> str:
    out = io.StringIO()
    call_command("setup_district", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def kinds_within(code: str) -> Counter:
    return Counter(Agency.objects.filter(within("region__code", code)).values_list("kind", flat=True))


@pytest.mark.django_db(transaction=True)
def test_the_command_creates_klungkungs_agencies_once_from_its_regions():
    call_command("flush", interactive=False, verbosity=0)  # no demo agencies: only the regions
    regions_demo.load_klungkung()
    villages = Region.objects.filter(code__startswith="51.05.", level=Region.Level.VILLAGE).count()
    assert villages == 59

    out = run("51.05")

    expected = {
        K.BAWASLU: 1, K.PANWASCAM: 4, K.PKD: 59, K.POLRES: 1, K.POLSEK: 4,
        K.KPU: 1, K.PPK: 4, K.PPS: 59, K.KEJAKSAAN: 1, K.PEMDA: 1,
    }  # fmt: skip
    assert kinds_within("51.05") == expected
    assert out.startswith("Kabupaten Klungkung: 135 lembaga dibuat")
    assert "4 Panitia Pemilihan Kecamatan (PPK)" in out and "59 Panitia Pemungutan Suara (PPS)" in out
    names = dict(Agency.objects.values_list("slug", "name"))
    assert names["bawaslu-klungkung"] == "Bawaslu Kabupaten Klungkung"
    assert names["panwascam-nusa-penida"] == "Panwaslu Kecamatan Nusa Penida"
    assert names["pkd-5105012010"] == "PKD Desa Ped"
    assert names["polres-klungkung"] == "Polres Klungkung"
    assert names["polsek-nusa-penida"] == "Polsek Nusa Penida"
    assert names["kpu-klungkung"] == "KPU Kabupaten Klungkung"
    assert names["ppk-nusa-penida"] == "PPK Nusa Penida"
    assert names["pps-5105012010"] == "PPS Desa Ped"
    assert names["kejari-klungkung"] == "Kejaksaan Negeri Klungkung"
    assert names["pemda-klungkung"] == "Pemerintah Kabupaten Klungkung"
    # Kelurahan from the village code (suffix 1xxx): Semarapura Kaja is 51.05.03.1008.
    kaja = Region.objects.get(code="51.05.03.1008")
    assert Agency.objects.get(kind=K.PPS, region=kaja).name == f"PPS Kelurahan {kaja.name}"
    # One audit event per agency, by the system.
    created = AuditEvent.objects.filter(action="agency.save")
    assert created.count() == 135 and set(created.values_list("actor_username", flat=True)) == {"sistem"}

    assert run("51.05") == "Kabupaten Klungkung: tidak ada yang dibuat; 135 lembaga sudah ada.\n"
    assert Agency.objects.count() == 135 and AuditEvent.objects.filter(action="agency.save").count() == 135


@pytest.mark.django_db
def test_the_demo_went_through_the_same_path():
    """The base data of the suite is the demo: its agencies are setup-district's, and the command
    finds nothing to add."""
    assert kinds_within("51.05")[K.PPS] == 59 and kinds_within("51.05")[K.PPK] == 4
    assert Agency.objects.get(slug="pemda-klungkung").name == "Pemerintah Kabupaten Klungkung"
    before = Agency.objects.count()
    assert "tidak ada yang dibuat" in run("51.05")
    assert Agency.objects.count() == before


@pytest.fixture
def denpasar(db) -> Region:
    """A small kota beside Klungkung: two kecamatan (one named like Klungkung's), a kelurahan and a desa."""
    kota = Region.objects.create(code="51.71", parent_id="51", level=2, kind=Region.Kind.KOTA, name="Denpasar")
    selatan = Region.objects.create(code="51.71.01", parent=kota, level=3, kind=Region.Kind.KECAMATAN, name="Denpasar Selatan")
    twin = Region.objects.create(code="51.71.02", parent=kota, level=3, kind=Region.Kind.KECAMATAN, name="Nusa Penida")
    Region.objects.create(code="51.71.01.1001", parent=selatan, level=4, kind=Region.Kind.KELURAHAN, name="Sesetan")
    Region.objects.create(code="51.71.02.2001", parent=twin, level=4, kind=Region.Kind.DESA, name="Contoh")
    return kota


def test_a_kota_gets_kota_names_and_a_clashing_slug_takes_its_code(denpasar):
    run("51.71")
    agencies = {a.kind: a for a in Agency.objects.filter(region_id="51.71")}
    assert {kind: a.name for kind, a in agencies.items()} == {
        K.BAWASLU: "Bawaslu Kota Denpasar",
        K.POLRES: "Polresta Denpasar",
        K.KPU: "KPU Kota Denpasar",
        K.KEJAKSAAN: "Kejaksaan Negeri Denpasar",
        K.PEMDA: "Pemerintah Kota Denpasar",
    }
    assert agencies[K.BAWASLU].slug == "bawaslu-kota-denpasar"
    assert Agency.objects.get(kind=K.PKD, region_id="51.71.01.1001").name == "PKD Kelurahan Sesetan"
    assert Agency.objects.get(kind=K.PPS, region_id="51.71.02.2001").name == "PPS Desa Contoh"
    # Klungkung's Polsek Nusa Penida keeps its slug and its kecamatan; Denpasar's namesake gets the code.
    assert Agency.objects.get(slug="polsek-nusa-penida").region_id == "51.05.01"
    assert Agency.objects.get(kind=K.POLSEK, region_id="51.71.02").slug == "polsek-nusa-penida-517102"


def test_one_polsek_may_cover_another_kecamatan_from_the_start(denpasar):
    out = run("51.71", "--polsek-covers", "51.71.02=51.71.01")
    assert not Agency.objects.filter(kind=K.POLSEK, region_id="51.71.02").exists()
    coverage = PolsekCoverage.objects.get(kecamatan_id="51.71.02")
    assert coverage.polsek == Agency.objects.get(kind=K.POLSEK, region_id="51.71.01")
    assert "Polsek: Kecamatan Nusa Penida → Polsek Denpasar Selatan" in out
    assert AuditEvent.objects.filter(action="polsek_coverage.save", region="51.71.02").count() == 1
    # A second run, with or without the option, adds nothing: no Polsek in the covered kecamatan.
    assert "tidak ada yang dibuat" in run("51.71")
    assert "tidak ada yang dibuat" in run("51.71", "--polsek-covers", "51.71.02=51.71.01")
    assert not Agency.objects.filter(kind=K.POLSEK, region_id="51.71.02").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["51.05.01"], "51.05.01 adalah Kecamatan Nusa Penida, bukan kabupaten/kota"),
        (["51.05.01.2010"], "bukan kabupaten/kota"),
        (["51.99"], "Kabupaten/kota 51.99 belum dimuat"),
        (["5105"], "bukan kode wilayah Kemendagri"),
        (["51.71", "--polsek-covers", "51.05.01=51.71.01"], "51.05.01 bukan kecamatan Kota Denpasar"),
        (["51.71", "--polsek-covers", "51.71.01=51.71.01"], "sudah dijaga Polseknya sendiri"),
        (["51.71", "--polsek-covers", "51.71.01"], "tulis KECAMATAN=KECAMATAN_POLSEK"),
        (["51.71", "--polsek-covers", "51.71.01=51.71.02", "--polsek-covers", "51.71.02=51.71.01"], "sendiri dijaga Polsek lain"),
        (["51.71", "--election", "pemilu-2024"], "Pemilu 2024 belum punya TPS di Kota Denpasar"),
        (["51.71", "--election", "tidak-ada"], "Pemilihan 'tidak-ada' tidak ada"),
    ],
)
def test_a_wrong_code_or_option_is_refused_and_nothing_is_created(denpasar, args, message):
    before = Agency.objects.count()
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert Agency.objects.count() == before
    assert not PolsekCoverage.objects.exists()


def test_with_an_election_it_reports_the_districts_tps_per_kecamatan(pemilu):
    out = run("51.05", "--election", "pemilu-2024")
    assert "Pemilu 2024: 649 TPS di Kabupaten Klungkung." in out
    assert "Kecamatan Nusa Penida: 198 TPS di 16 desa/kelurahan" in out
    assert out.rstrip().endswith("tidak ada yang dibuat; 135 lembaga sudah ada.")


def test_an_operator_account_needs_the_set_up_permission(user_of, denpasar):
    from django.core.exceptions import PermissionDenied

    from sinergi.accounts.districts import setup_district

    with pytest.raises(PermissionDenied):
        setup_district(actor=user_of("bawaslu"), district_code="51.71")
    assert not Agency.objects.filter(within("region__code", "51.71")).exists()


@pytest.fixture
def pps_ped(db) -> User:
    return ensure_user(actor=None, username="pps-ped", agency=Agency.objects.get(slug="pps-5105012010"), role="staff", full_name="PPS Ped", password="x" * 12)


def test_a_pps_follows_the_logistics_of_its_village_only(pps_ped, client_of, pemilu):
    assert can(pps_ped, Perm.VIEW_LOGISTICS) and not can(pps_ped, Perm.MANAGE_LOGISTICS) and not can(pps_ped, Perm.IMPORT_STATIONS)
    assert not can(pps_ped, Perm.VIEW_GUARD_PLAN) and not can(pps_ped, Perm.VIEW_MEETINGS)
    page = client_of("pps-ped").get("/pemilihan/pemilu-2024/logistik/")
    assert page.status_code == 200
    assert page.context["result"].by_village.keys() == {"51.05.01.2010"}
    assert client_of("pps-ped").get("/pemilihan/pemilu-2024/pengamanan/").status_code == 403


def test_a_ppk_reads_its_kecamatans_meetings_and_logistics(db):
    ppk = ensure_user(actor=None, username="ppk-np", agency=Agency.objects.get(slug="ppk-nusa-penida"), role="staff", full_name="PPK", password="x" * 12)
    assert ppk.area_code == "51.05.01"
    assert can(ppk, Perm.VIEW_LOGISTICS) and can(ppk, Perm.VIEW_MEETINGS)
    assert not can(ppk, Perm.MANAGE_LOGISTICS) and not can(ppk, Perm.MANAGE_MEETINGS)

"""The province bodies (Bawaslu Provinsi, Polda, KPU Provinsi) and the national ones (Bawaslu RI,
Polri, KPU RI): where they sit, whom their administrators manage, what they may read, and that they
write none of a district's operational data (docs/agencies.md, "Province and national bodies")."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from sinergi.accounts.hierarchy import kinds_managed_by, manages
from sinergi.accounts.letterhead import agency_name, letterhead_of
from sinergi.accounts.models import NATIONAL_KINDS, PROVINCE_KINDS, Agency, User
from sinergi.accounts.permissions import GRANTS, Perm
from sinergi.accounts.queries import agencies_managed_by
from sinergi.accounts.services import ensure_agency
from sinergi.regions.models import Region
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to

K, R = Agency.Kind, User.Role
# What changes a district's operational data (or handles its people and cases): none is granted
# above the district. MANAGE_USERS (inviting the bodies below) is not among them.
WRITES = {
    Perm.IMPORT_STATIONS, Perm.FILL_CHECKLIST, Perm.AMEND_CHECKLIST, Perm.SET_POLICE_CLASS, Perm.SET_RELEASE_RULES, Perm.MANAGE_SUPERVISORS,
    Perm.VIEW_PERSONAL_DATA, Perm.FILE_REPORTS, Perm.MANAGE_LOGISTICS, Perm.MANAGE_GUARD, Perm.CHECK_IN_POSTS, Perm.MOVE_OFFICERS,
    Perm.RECORD_FINDINGS, Perm.MANAGE_DAYS_OFF, Perm.HANDLE_CASES, Perm.INVESTIGATE_CASES, Perm.PROSECUTE_CASES, Perm.GAKKUMDU,
    Perm.MANAGE_MEETINGS, Perm.SEND_BROADCASTS, Perm.NUDGE_PTPS, Perm.MANAGE_VISITS, Perm.REFER_INCIDENTS, Perm.RESPOND_INCIDENTS,
    Perm.MANAGE_POLSEK_AREAS, Perm.MANAGE_ELECTIONS, Perm.MANAGE_REGIONS, Perm.MANAGE_ACCOUNTS, Perm.ADD_INTEL,
}  # fmt: skip
COUNTERPART = {K.BAWASLU_PROVINSI: K.BAWASLU, K.BAWASLU_RI: K.BAWASLU, K.POLDA: K.POLRES, K.POLRI: K.POLRES, K.KPU_PROVINSI: K.KPU, K.KPU_RI: K.KPU}


def test_the_chains_reach_down_from_the_nation_to_the_village():
    assert kinds_managed_by("bawaslu_provinsi") == {"bawaslu_provinsi", "bawaslu", "panwascam", "pkd"}
    assert kinds_managed_by("bawaslu_ri") == {"bawaslu_ri", "bawaslu_provinsi", "bawaslu", "panwascam", "pkd"}
    assert kinds_managed_by("polda") == {"polda", "polres", "polsek"}
    assert kinds_managed_by("polri") == {"polri", "polda", "polres", "polsek"}
    assert kinds_managed_by("kpu_provinsi") == {"kpu_provinsi", "kpu", "ppk", "pps"}
    assert kinds_managed_by("kpu_ri") == {"kpu_ri", "kpu_provinsi", "kpu", "ppk", "pps"}
    # Nothing reaches up.
    assert "bawaslu_provinsi" not in kinds_managed_by("bawaslu") and "polda" not in kinds_managed_by("polres")


def test_a_province_administrator_manages_its_province_only_and_never_a_national_body():
    assert manages(kind="bawaslu_provinsi", area="51", agency_kind="bawaslu", agency_region="51.05")
    assert manages(kind="bawaslu_provinsi", area="51", agency_kind="pkd", agency_region="51.05.01.2010")
    assert not manages(kind="bawaslu_provinsi", area="51", agency_kind="bawaslu", agency_region="52.01")
    assert not manages(kind="bawaslu_provinsi", area="51", agency_kind="polres", agency_region="51.05")
    assert not manages(kind="bawaslu_provinsi", area="51", agency_kind="bawaslu_ri", agency_region=None)
    assert manages(kind="bawaslu_ri", area=None, agency_kind="bawaslu_provinsi", agency_region="52")
    assert not manages(kind="polda", area="51", agency_kind="polri", agency_region=None)


def test_above_the_district_every_body_reads_like_its_district_counterpart_and_writes_nothing():
    for kind in PROVINCE_KINDS | NATIONAL_KINDS:
        for role in (R.ADMIN, R.STAFF):
            granted = GRANTS[kind, role]
            assert not granted & WRITES, (kind, role, granted & WRITES)
            reads = granted - {Perm.MANAGE_USERS}
            assert reads <= GRANTS[COUNTERPART[kind], role] | {Perm.VIEW_VOTING_DAY}, (kind, role)
            assert {Perm.VIEW_STATIONS, Perm.VIEW_SITUATION} <= granted
        assert Perm.MANAGE_USERS in GRANTS[kind, R.ADMIN] and Perm.MANAGE_USERS not in GRANTS[kind, R.STAFF]
    assert Perm.VIEW_CASES in GRANTS[K.BAWASLU_PROVINSI, R.STAFF] and Perm.VIEW_GUARD_PLAN in GRANTS[K.POLDA, R.STAFF]
    assert GRANTS[K.KPU_PROVINSI, R.STAFF] & {Perm.VIEW_POLICE_CLASS, Perm.VIEW_GUARD_PLAN, Perm.VIEW_REPORTS} == set()


@pytest.mark.django_db
def test_where_each_body_sits():
    with pytest.raises(ValidationError, match="nasional"):
        ensure_agency(actor=None, slug="polri-x", kind=K.POLRI, name="Polri", region_code="51")
    with pytest.raises(ValidationError, match="memerlukan wilayah"):
        ensure_agency(actor=None, slug="polda-x", kind=K.POLDA, name="Polda", region_code=None)
    with pytest.raises(ValidationError, match="Provinsi"):
        ensure_agency(actor=None, slug="polda-x", kind=K.POLDA, name="Polda", region_code="51.05")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Agency.objects.create(slug="kpu-ri-x", kind=K.KPU_RI, name="KPU RI", region_id="51")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Agency.objects.create(slug="kpu-x", kind=K.KPU, name="KPU", region=None)
    kpu_ri = ensure_agency(actor=None, slug="kpu-ri", kind=K.KPU_RI, name="KPU RI", region_code=None)
    assert kpu_ri.region_id is None


@pytest.mark.django_db
def test_names_and_letterheads():
    bali = Region.objects.get(code="51")
    assert agency_name(K.BAWASLU_PROVINSI, bali) == "Bawaslu Provinsi Bali"
    assert agency_name(K.POLDA, bali) == "Polda Bali" and agency_name(K.KPU_PROVINSI, bali) == "KPU Provinsi Bali"
    assert agency_name(K.BAWASLU_RI, None) == "Bawaslu RI"
    kop = letterhead_of(Agency.objects.get(slug="polda-bali"))
    assert kop.above == ("KEPOLISIAN NEGARA REPUBLIK INDONESIA",) and kop.name == "KEPOLISIAN DAERAH BALI"
    national = letterhead_of(ensure_agency(actor=None, slug="bawaslu-ri", kind=K.BAWASLU_RI, name="Bawaslu RI", region_code=None))
    assert national.above == () and national.name == "BADAN PENGAWAS PEMILIHAN UMUM REPUBLIK INDONESIA"


@pytest.mark.django_db
def test_the_users_page_query_is_the_pure_rule_above_the_district(admin_of):
    ensure_agency(actor=None, slug="bawaslu-ri", kind=K.BAWASLU_RI, name="Bawaslu RI", region_code=None)
    for slug in ("bawaslu-provinsi-bali", "polda-bali", "kpu-provinsi-bali", "bawaslu-ri"):
        admin = admin_of(slug)
        expected = {a.slug for a in Agency.objects.all() if manages(kind=admin.agency.kind, area=admin.area_code, agency_kind=a.kind, agency_region=a.region_id)}
        assert {a.slug for a in agencies_managed_by(admin)} == expected
        assert slug in expected and len(expected) > 1
    assert "bawaslu-klungkung" in {a.slug for a in agencies_managed_by(admin_of("bawaslu-provinsi-bali"))}


@pytest.mark.django_db
def test_a_province_account_reads_its_province_and_a_national_one_everything(user_of, pemilu):
    bali = user_of("bawaslu-bali")
    assert bali.area_code == "51"
    assert stations_visible_to(bali, pemilu).count() == Station.objects.filter(election=pemilu, village__code__startswith="51.").count() > 0
    polri = ensure_agency(actor=None, slug="polri", kind=K.POLRI, name="Polri (Mabes)", region_code=None)
    national = User.objects.create_user("polri-staf", agency=polri, role=R.STAFF)
    assert national.area_code is None
    assert stations_visible_to(national, pemilu).count() == Station.objects.filter(election=pemilu).count()


@pytest.mark.django_db
def test_a_province_administrator_invites_a_district_s_user_and_not_another_province_s(admin_client):
    from tests.accounts.test_users_page import invite_through

    ntb = ensure_agency(actor=None, slug="bawaslu-ntb-x", kind=K.BAWASLU, name="Bawaslu Rekaan", region_code=_district("52.01").code)
    client = admin_client("bawaslu-provinsi-bali")
    assert client.get("/akun/pengguna/").status_code == 200
    assert invite_through(client, username="baru-klungkung", agency="bawaslu-klungkung").status_code == 302
    assert User.objects.get(username="baru-klungkung").agency.slug == "bawaslu-klungkung"
    refused = invite_through(client, username="baru-ntb", agency=ntb.slug)
    assert refused.status_code in (200, 400) and not User.objects.filter(username="baru-ntb").exists()
    national = ensure_agency(actor=None, slug="bawaslu-ri", kind=K.BAWASLU_RI, name="Bawaslu RI", region_code=None)
    ri = admin_client(national.slug)
    assert ri.get("/akun/pengguna/").status_code == 200
    assert invite_through(ri, username="baru-bali", agency="bawaslu-provinsi-bali").status_code == 302


def _district(code: str) -> Region:
    Region.objects.get_or_create(code="52", defaults={"name": "Nusa Tenggara Barat", "kind": Region.Kind.PROVINSI, "level": 1})
    return Region.objects.get_or_create(code=code, defaults={"name": "Rekaan", "kind": Region.Kind.KABUPATEN, "level": 2, "parent_id": "52"})[0]


@pytest.mark.django_db
def test_the_polda_reads_a_tps_intel_notes_and_writes_none(pemilu, user_of, client_of):
    """Intelligence notes are the district police's work: Polda Bali reads them on a Klungkung TPS,
    is offered no form, and the service refuses its note; the Polres still writes one."""
    from sinergi.risk.models import IntelNote
    from sinergi.risk.services import add_intel_note
    from tests import personas

    station = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)
    add_intel_note(actor=user_of(personas.POLRES), station=station, text="Massa berkumpul sejak pagi")
    polda = user_of("polda-bali")
    page = client_of("polda-bali").get(f"/pemilihan/pemilu-2024/tps/{station.pk}/rawan/")
    assert page.status_code == 200 and "Massa berkumpul sejak pagi" in page.content.decode()
    assert page.context["intel_form"] is None
    with pytest.raises(PermissionDenied):
        add_intel_note(actor=polda, station=station, text="Catatan dari Polda")
    assert client_of("polda-bali").post(f"/pemilihan/pemilu-2024/tps/{station.pk}/intel/", {"text": "Catatan dari Polda"}).status_code == 403
    assert list(IntelNote.objects.filter(station=station).values_list("text", flat=True)) == ["Massa berkumpul sejak pagi"]

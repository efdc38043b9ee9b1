"""Which agencies an administrator manages: one pure rule (accounts/hierarchy.py), and the query of
the users page (`agencies_managed_by`) agreeing with it on the demo district."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.accounts.hierarchy import BELOW, kinds_managed_by, manages
from sinergi.accounts.models import Agency, User
from sinergi.accounts.permissions import GRANTS, Perm
from sinergi.accounts.queries import agencies_managed_by
from sinergi.regions.codes import is_within

KINDS = list(Agency.Kind.values)
NP, DAWAN = "51.05.01", "51.05.04"


def test_every_kind_in_the_chains_is_an_agency_kind():
    assert set(BELOW) | {kind for below in BELOW.values() for kind in below} <= set(KINDS)


def test_the_chains_of_command():
    assert kinds_managed_by("bawaslu") == {"bawaslu", "panwascam", "pkd"}
    assert kinds_managed_by("panwascam") == {"panwascam", "pkd"}
    assert kinds_managed_by("pkd") == {"pkd"}
    assert kinds_managed_by("polres") == {"polres", "polsek"}
    assert kinds_managed_by("polsek") == {"polsek"}
    assert kinds_managed_by("kpu") >= {"kpu"} and not kinds_managed_by("kpu") & {"bawaslu", "polres", "panwascam", "polsek", "pkd"}
    assert kinds_managed_by("kejaksaan") == {"kejaksaan"} and kinds_managed_by("pemda") == {"pemda"}


def test_a_polres_administrator_never_reaches_bawaslu_nor_the_reverse():
    assert not manages(kind="polres", area="51.05", agency_kind="bawaslu", agency_region="51.05")
    assert not manages(kind="polres", area="51.05", agency_kind="panwascam", agency_region=NP)
    assert not manages(kind="bawaslu", area="51.05", agency_kind="polsek", agency_region=NP)
    assert manages(kind="polres", area="51.05", agency_kind="polsek", agency_region=NP)


def test_a_panwascam_administrator_stays_in_their_kecamatan_and_below():
    assert manages(kind="panwascam", area=NP, agency_kind="pkd", agency_region=NP + ".2010")
    assert manages(kind="panwascam", area=NP, agency_kind="panwascam", agency_region=NP)
    assert not manages(kind="panwascam", area=NP, agency_kind="pkd", agency_region=DAWAN + ".2001")
    assert not manages(kind="panwascam", area=NP, agency_kind="panwascam", agency_region=DAWAN)
    # Upwards is never managed, even where the area would allow it.
    assert not manages(kind="panwascam", area=NP, agency_kind="bawaslu", agency_region="51.05")
    assert not manages(kind="pkd", area=NP + ".2010", agency_kind="panwascam", agency_region=NP)


codes = st.sampled_from(["51.05", "51.06", NP, DAWAN, NP + ".2010", NP + ".2011", DAWAN + ".2001"])


@given(kind=st.sampled_from(KINDS), area=codes, agency_kind=st.sampled_from(KINDS), agency_region=codes)
def test_managing_needs_the_same_chain_downwards_and_the_area(kind, area, agency_kind, agency_region):
    managed = manages(kind=kind, area=area, agency_kind=agency_kind, agency_region=agency_region)
    assert managed == (agency_kind in kinds_managed_by(kind) and is_within(agency_region, area))
    if managed and agency_kind != kind:
        # Strictly below: the agency's kind cannot manage the administrator's back.
        assert kind not in kinds_managed_by(agency_kind)


def test_every_agency_kind_s_administrators_and_only_they_manage_users():
    for kind in KINDS:
        assert Perm.MANAGE_USERS in GRANTS[kind, User.Role.ADMIN], kind
    assert not any(Perm.MANAGE_USERS in granted for (kind, role), granted in GRANTS.items() if role != User.Role.ADMIN)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["bawaslu-klungkung", "panwascam-nusa-penida", "panwascam-dawan", "polres-klungkung", "polsek-nusa-penida", "kpu-klungkung", "pkd-5105012010"])
def test_the_page_s_query_is_the_pure_rule(admin_of, slug):
    admin = admin_of(slug)
    expected = {a.slug for a in Agency.objects.all() if manages(kind=admin.agency.kind, area=admin.area_code, agency_kind=a.kind, agency_region=a.region_id)}
    assert {a.slug for a in agencies_managed_by(admin)} == expected
    assert slug in expected

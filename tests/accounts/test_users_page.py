"""The users page: an agency administrator invites, re-invites and deactivates the users of their
agency and those below it in their area, and nobody else's; each action audited."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from sinergi.accounts.models import ActivationLink, ApiToken, User
from sinergi.audit.models import AuditEvent
from sinergi.supervisors.demo import FIELD_ACCOUNT
from tests import personas
from tests.accounts.conftest import BAWASLU, PANWASCAM_DAWAN, PANWASCAM_NP, PKD_PED, POLRES, POLSEK_NP


def statuses(page) -> dict[str, str]:
    return dict(re.findall(r'<tr data-username="([^"]+)">.*?data-status="(\w+)"', page.text, re.S))


def invite_through(client: Client, **fields):
    data = {"username": "", "full_name": "", "agency": "", "role": "staff", "email": "", "area": ""} | fields
    return client.post("/akun/pengguna/undang/", data)


def shown_link(client: Client) -> str:
    """The activation link shown once on the users page after an invitation (as a path)."""
    page = client.get("/akun/pengguna/")
    return re.search(r'data-testid="activation-url">http://testserver(/akun/aktivasi/[\w-]+/)<', page.text).group(1)


@pytest.mark.django_db
def test_the_navigation_offers_the_page_to_administrators_only(client_of, admin_client):
    assert 'data-testid="nav-users"' in client_of(personas.BAWASLU).get("/akun/pengguna/").text
    assert 'data-testid="nav-users"' in admin_client(POLSEK_NP).get("/akun/kata-sandi/").text
    assert 'data-testid="nav-users"' not in client_of(personas.POLRES).get("/akun/kata-sandi/").text


@pytest.mark.django_db
@pytest.mark.parametrize("username", [personas.POLRES, personas.PANWASCAM_NUSA_PENIDA, personas.KPU, personas.PTPS_PED, personas.NO_AGENCY])
def test_staff_and_field_accounts_are_refused(client_of, username):
    client = client_of(username)
    assert client.get("/akun/pengguna/").status_code == 403
    assert client.get("/akun/pengguna/undang/").status_code == 403
    bawaslu_staff = User.objects.get(username=personas.BAWASLU_STAFF)
    assert client.post(f"/akun/pengguna/{bawaslu_staff.pk}/nonaktifkan/", {"confirm": "1"}).status_code == 403
    assert User.objects.get(pk=bawaslu_staff.pk).is_active


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in():
    response = Client().get("/akun/pengguna/")
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")


@pytest.mark.django_db
def test_a_panwascam_administrator_lists_their_kecamatan_and_its_villages_only(admin_client, admin_of, dawan_pkd):
    admin_of(PANWASCAM_DAWAN)
    call_command("invite", "staf-pkd-dawan", agency=dawan_pkd.slug, role="staff", stdout=io.StringIO())
    page = admin_client(PANWASCAM_NP).get("/akun/pengguna/")
    assert page.status_code == 200
    listed = statuses(page)
    assert set(listed) == {"admin-panwascam-nusa-penida", personas.PANWASCAM_NUSA_PENIDA, personas.PTPS_PED, FIELD_ACCOUNT}
    assert listed[personas.PTPS_PED] == "active" and "belum pernah" in page.text
    # Dawan's Panwascam sees its own, not Nusa Penida's.
    assert set(statuses(admin_client(PANWASCAM_DAWAN).get("/akun/pengguna/"))) == {"admin-panwascam-dawan", "staf-pkd-dawan"}


@pytest.mark.django_db
def test_the_district_bawaslu_administrator_sees_its_levels_but_no_police_or_kpu(client_of, user_of):
    ptps = user_of(personas.PTPS_PED)
    User.objects.filter(pk=ptps.pk).update(last_login=timezone.now() - timedelta(hours=3))
    page = client_of(personas.BAWASLU).get("/akun/pengguna/")
    listed = statuses(page)
    assert {personas.BAWASLU, personas.BAWASLU_STAFF, personas.PANWASCAM_NUSA_PENIDA, personas.PTPS_PED} <= set(listed)
    assert not {personas.POLRES, personas.POLSEK_NUSA_PENIDA, personas.KPU, personas.JAKSA} & set(listed)
    assert "belum pernah" in page.text
    filtered = statuses(client_of(personas.BAWASLU).get("/akun/pengguna/", {"lembaga": PKD_PED}))
    assert set(filtered) == {personas.PTPS_PED, FIELD_ACCOUNT}  # the demo's PTPS of Ped TPS 17 is in that PKD too


@pytest.mark.django_db
def test_an_administrator_invites_through_the_page_and_the_link_is_shown_once(admin_client, django_capture_on_commit_callbacks):
    client = admin_client(PANWASCAM_NP)
    form = client.get("/akun/pengguna/undang/")
    assert form.status_code == 200 and 'value="pkd-5105012010"' in form.text and 'value="panwascam-dawan"' not in form.text
    with django_capture_on_commit_callbacks(execute=True):
        sent = invite_through(client, username="ptps-ped-18", full_name="Ketut PTPS", agency=PKD_PED, role="field", email="ketut@example.com")
    assert sent.status_code == 302 and sent["Location"] == "/akun/pengguna/"
    path = shown_link(client)
    assert "http://testserver" + path in mail.outbox[0].body and mail.outbox[0].to == ["ketut@example.com"]
    again = client.get("/akun/pengguna/")
    assert 'data-testid="activation-url"' not in again.text and statuses(again)["ptps-ped-18"] == "invited"
    user = User.objects.get(username="ptps-ped-18")
    assert (user.agency.slug, user.role, user.first_name, user.has_usable_password()) == (PKD_PED, "field", "Ketut PTPS", False)
    event = AuditEvent.objects.get(action="user.invite")
    assert event.actor_username == "admin-panwascam-nusa-penida" and event.region == "51.05.01.2010"
    assert ActivationLink.objects.get(user=user).created_by.username == "admin-panwascam-nusa-penida"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("admin", "agency"),
    [(PANWASCAM_DAWAN, PANWASCAM_NP), (PANWASCAM_DAWAN, PKD_PED), (POLRES, BAWASLU), (POLSEK_NP, POLRES), (PANWASCAM_NP, BAWASLU), (PKD_PED, PANWASCAM_NP)],
)
def test_an_administrator_cannot_invite_into_another_area_or_chain(admin_client, admin, agency):
    refused = invite_through(admin_client(admin), username="penyusup", agency=agency, role="admin")
    assert refused.status_code == 400 and "Pilih lembaga dari daftar" in refused.text
    assert not User.objects.filter(username="penyusup").exists() and not AuditEvent.objects.filter(action="user.invite").exists()


@pytest.mark.django_db
def test_the_invitation_form_names_each_bad_field(admin_client):
    client = admin_client(PANWASCAM_NP)
    refused = invite_through(client, username=personas.PTPS_PED, agency=PKD_PED, role="field", area="51.05.04.2001")
    assert refused.status_code == 400
    assert "sudah dipakai" in refused.text and "harus berada di dalam wilayah lembaganya" in refused.text
    assert User.objects.get(username=personas.PTPS_PED).has_usable_password()


@pytest.mark.django_db
def test_another_kecamatan_s_administrator_cannot_reinvite_or_deactivate(admin_client, user_of):
    ptps = user_of(personas.PTPS_PED)
    client = admin_client(PANWASCAM_DAWAN)
    assert client.post(f"/akun/pengguna/{ptps.pk}/undang-ulang/", {"confirm": "1"}).status_code == 404
    assert client.post(f"/akun/pengguna/{ptps.pk}/nonaktifkan/", {"confirm": "1"}).status_code == 404
    assert admin_client(POLRES).post(f"/akun/pengguna/{ptps.pk}/nonaktifkan/", {"confirm": "1"}).status_code == 404
    ptps = user_of(personas.PTPS_PED)
    assert ptps.is_active and ptps.check_password(personas.PASSWORD)
    assert not AuditEvent.objects.filter(action__in=["user.reinvite", "user.deactivate"]).exists()


@pytest.mark.django_db
def test_administrators_cannot_act_on_themselves_or_a_superuser(client_of, user_of):
    bawaslu = user_of(personas.BAWASLU)
    client = client_of(personas.BAWASLU)
    refused = client.post(f"/akun/pengguna/{bawaslu.pk}/nonaktifkan/", {"confirm": "1"}, follow=True)
    assert "Akun Anda sendiri" in refused.text and user_of(personas.BAWASLU).is_active
    root = User.objects.create_superuser(username="root", password="x" * 12)
    assert client.post(f"/akun/pengguna/{root.pk}/nonaktifkan/", {"confirm": "1"}).status_code == 404


@pytest.mark.django_db
def test_a_reinvitation_replaces_the_earlier_link(admin_client):
    client = admin_client(PANWASCAM_NP)
    invite_through(client, username="ptps-ped-18", agency=PKD_PED, role="field")
    first = shown_link(client)
    user = User.objects.get(username="ptps-ped-18")
    # No password to lose yet: no question asked.
    assert client.post(f"/akun/pengguna/{user.pk}/undang-ulang/").status_code == 302
    second = shown_link(client)
    assert first != second
    old = Client().get(first)
    assert old.status_code == 410 and "sudah diganti dengan undangan yang lebih baru" in old.text
    assert Client().get(second).status_code == 302
    assert AuditEvent.objects.filter(action="user.reinvite", object_id=str(user.pk)).count() == 1
    assert ActivationLink.objects.filter(user=user, revoked_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_reinviting_someone_with_a_password_asks_first_then_removes_it(client_of, user_of):
    ptps = user_of(personas.PTPS_PED)
    client = client_of(personas.BAWASLU)
    asked = client.post(f"/akun/pengguna/{ptps.pk}/undang-ulang/")
    assert asked.status_code == 200 and 'data-testid="confirm"' in asked.text and "berhenti berlaku" in asked.text
    assert user_of(personas.PTPS_PED).check_password(personas.PASSWORD) and not ActivationLink.objects.exists()
    assert client.post(f"/akun/pengguna/{ptps.pk}/undang-ulang/", {"confirm": "1"}).status_code == 302
    assert not user_of(personas.PTPS_PED).has_usable_password()
    event = AuditEvent.objects.get(action="user.reinvite")
    assert event.changes["password"] == ["ada", "dihapus"] and event.actor_username == personas.BAWASLU


@pytest.mark.django_db
def test_deactivation_asks_first_then_stops_sign_in_sessions_and_api_tokens(client_of, user_of):
    ptps = user_of(personas.PTPS_PED)
    token = io.StringIO()
    call_command("create_token", personas.PTPS_PED, stdout=token)
    token = token.getvalue().strip()
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/v1/stations", {"election": "pemilu-2024"}).status_code == 200
    signed_in = client_of(personas.PTPS_PED)
    assert signed_in.get("/akun/kata-sandi/").status_code == 200
    client = client_of(personas.BAWASLU)
    asked = client.post(f"/akun/pengguna/{ptps.pk}/nonaktifkan/")
    assert asked.status_code == 200 and 'data-testid="confirm"' in asked.text and user_of(personas.PTPS_PED).is_active
    done = client.post(f"/akun/pengguna/{ptps.pk}/nonaktifkan/", {"confirm": "1"}, follow=True)
    assert "dinonaktifkan (1 token API dicabut)" in done.text
    assert statuses(done)[personas.PTPS_PED] == "deactivated"
    ptps = user_of(personas.PTPS_PED)
    assert not ptps.is_active and not ApiToken.objects.filter(user=ptps).exists()
    assert api.get("/api/v1/stations", {"election": "pemilu-2024"}).status_code == 401
    after = signed_in.get("/akun/kata-sandi/")
    assert after.status_code == 302 and after["Location"].startswith("/akun/masuk/")
    assert Client().post("/akun/masuk/", {"username": personas.PTPS_PED, "password": personas.PASSWORD}).status_code == 200
    event = AuditEvent.objects.get(action="user.deactivate")
    assert (event.actor_username, event.object_id, event.changes) == (personas.BAWASLU, str(ptps.pk), {"is_active": [True, False], "api_tokens": [1, 0]})
    assert AuditEvent.objects.filter(action="token.revoke", actor_username=personas.BAWASLU).count() == 1
    # A second deactivation is refused plainly; a re-invitation brings the account back.
    again = client.post(f"/akun/pengguna/{ptps.pk}/nonaktifkan/", {"confirm": "1"}, follow=True)
    assert "sudah nonaktif" in again.text
    assert client.post(f"/akun/pengguna/{ptps.pk}/undang-ulang/").status_code == 302
    assert user_of(personas.PTPS_PED).is_active and AuditEvent.objects.get(action="user.reinvite").changes["is_active"] == [False, True]


@pytest.mark.django_db
def test_the_page_s_queries_do_not_grow_with_its_rows(client_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_of(personas.BAWASLU)
    client.get("/akun/pengguna/")
    with CaptureQueriesContext(connection) as before:
        client.get("/akun/pengguna/")
    for n in range(15):
        call_command("invite", f"pkd-{n}", agency=PKD_PED, role="field", area="51.05.01.2010", stdout=io.StringIO())
    with CaptureQueriesContext(connection) as after:
        page = client.get("/akun/pengguna/")
    assert list(statuses(page).values()).count("invited") == 15
    assert len(after) == len(before)

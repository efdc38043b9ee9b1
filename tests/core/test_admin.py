"""The deployment operator's Django admin (/admin/, audit/admin_site.py): superusers only, every add, change
and delete recorded in the audit trail with the row (old and new values, never a password), the
audit log itself read only.

The writes run with real transactions (`committed`): the admin's save and its audit event must be
committed together by the admin view's own transaction, not by a test's."""

import json
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from sinergi.accounts.models import Agency, User
from sinergi.audit.models import AuditEvent
from sinergi.cases.models import DayOff
from tests import personas

OPERATOR = "operator"
OPERATOR_PASSWORD = "kata-sandi-operator-2024"


@pytest.fixture
def operator(db) -> User:
    """A superuser as `sinergi createsuperuser` makes one (no agency)."""
    return User.objects.create_superuser(username=OPERATOR, email="operator@example.go.id", password=OPERATOR_PASSWORD)


@pytest.fixture
def operator_client(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


def form_of(response) -> dict:
    """The values an admin change form would post back as it is shown (text inputs, selects,
    text areas and ticked boxes)."""
    html = response.text
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in {"submit", "button", "file"}):
            continue
        if kind and kind.group(1) == "checkbox" and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ("on" if kind and kind.group(1) == "checkbox" else "")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body.strip()
    return {key: value.replace("&amp;", "&").replace("&quot;", '"').replace("&#x27;", "'") for key, value in data.items()}


# --- Who may enter ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sinergis_sign_in_page():
    response = Client().get("/admin/accounts/agency/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "next=/admin/" in response.redirect_chain[-1][0]


@pytest.mark.django_db
@pytest.mark.parametrize("username", [personas.BAWASLU, personas.POLRES])
def test_staff_status_alone_opens_nothing(client_of, user_of, username):
    """An agency administrator (Bawaslu) or any account, even marked is_staff, is refused every admin page."""
    user = user_of(username)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = client_of(username)
    agency = Agency.objects.get(slug="bawaslu-klungkung")
    for url in ("/admin/", "/admin/accounts/agency/", f"/admin/accounts/agency/{agency.pk}/change/", "/admin/audit/auditevent/"):
        response = client.get(url, follow=True)
        assert response.status_code == 403, url
        assert "Akses ditolak" in response.text
    response = client.post(f"/admin/accounts/agency/{agency.pk}/change/", {"name": "Diubah", "slug": agency.slug, "kind": agency.kind, "region": agency.region_id}, follow=True)
    assert response.status_code == 403
    agency.refresh_from_db()
    assert agency.name == "Bawaslu Kabupaten Klungkung"
    assert not AuditEvent.objects.filter(action__startswith="admin.").exists()


# --- Audited writes ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_superuser_lists_and_changes_an_agency_and_the_change_is_audited_with_old_and_new_values(committed, operator_client, operator):
    listing = operator_client.get("/admin/accounts/agency/")
    assert listing.status_code == 200 and "Bawaslu Kabupaten Klungkung" in listing.text
    assert "lembaga" in listing.text.lower()  # the model's Indonesian verbose name
    agency = Agency.objects.get(slug="polsek-nusa-penida")
    url = f"/admin/accounts/agency/{agency.pk}/change/"
    form = form_of(operator_client.get(url))
    assert form["name"] == "Polsek Nusa Penida"
    saved = operator_client.post(url, {**form, "name": "Polsek Nusa Penida (Sampalan)", "phone": "0366 31234"})
    assert saved.status_code == 302, saved.text[:3000]
    agency.refresh_from_db()
    assert (agency.name, agency.phone) == ("Polsek Nusa Penida (Sampalan)", "0366 31234")
    event = AuditEvent.objects.get(action="admin.change")
    assert (event.actor_id, event.actor_username, event.object_type, event.object_id) == (operator.pk, OPERATOR, "accounts.agency", str(agency.pk))
    assert event.region == "51.05.01"  # its administrators (Bawaslu of the kecamatan's district) see it
    assert event.changes == {"name": ["Polsek Nusa Penida", "Polsek Nusa Penida (Sampalan)"], "phone": ["", "0366 31234"]}
    # Saving again without a change records nothing.
    again = operator_client.post(url, form_of(operator_client.get(url)))
    assert again.status_code == 302 and AuditEvent.objects.filter(action="admin.change").count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_agency_in_a_region_of_the_wrong_level_is_refused_and_nothing_is_written(committed, operator_client):
    events = AuditEvent.objects.count()
    response = operator_client.post(
        "/admin/accounts/agency/add/", {"slug": "polsek-klungkung-baru", "kind": "polsek", "name": "Polsek Baru", "region": "51.05", "address": "", "phone": "", "email": ""}
    )
    assert response.status_code == 200
    assert "berkedudukan di tingkat Kecamatan" in response.text
    assert not Agency.objects.filter(slug="polsek-klungkung-baru").exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db(transaction=True)
def test_an_agency_added_through_the_admin_is_audited(committed, operator_client):
    response = operator_client.post(
        "/admin/accounts/agency/add/", {"slug": "bpbd-klungkung", "kind": "pemda", "name": "BPBD Klungkung", "region": "51.05", "address": "", "phone": "", "email": ""}
    )
    assert response.status_code == 302
    agency = Agency.objects.get(slug="bpbd-klungkung")
    event = AuditEvent.objects.get(action="admin.add", object_id=str(agency.pk))
    assert event.changes == {
        "address": [None, ""], "email": [None, ""], "kind": [None, "pemda"], "name": [None, "BPBD Klungkung"], "phone": [None, ""], "region": [None, "51.05"], "slug": [None, "bpbd-klungkung"]
    }


@pytest.mark.django_db(transaction=True)
def test_a_delete_and_a_bulk_delete_are_audited_row_by_row(committed, operator_client, operator):
    national = DayOff.objects.create(day=date(2024, 3, 11), reason="Nyepi (tambahan)")
    local = DayOff.objects.create(day=date(2024, 4, 3), region_id="51.05.01", reason="Hari raya desa adat")
    third = DayOff.objects.create(day=date(2024, 5, 1), reason="Keputusan bupati")
    # One through the delete page.
    deleted = operator_client.post(f"/admin/cases/dayoff/{third.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302 and not DayOff.objects.filter(pk=third.pk).exists()
    one = AuditEvent.objects.get(action="admin.delete", object_id=str(third.pk))
    assert one.changes["reason"] == ["Keputusan bupati", None] and one.changes["day"] == ["2024-05-01", None]
    # Two through the list's action: asked first, then deleted, one event each.
    chosen = {"action": "delete_selected_audited", "_selected_action": [national.pk, local.pk]}
    asked = operator_client.post("/admin/cases/dayoff/", chosen)
    assert asked.status_code == 200 and DayOff.objects.count() == 2
    confirmed = operator_client.post("/admin/cases/dayoff/", {**chosen, "post": "yes"})
    assert confirmed.status_code == 302 and not DayOff.objects.exists()
    events = {e.object_id: e for e in AuditEvent.objects.filter(action="admin.delete").exclude(object_id=str(third.pk))}
    assert set(events) == {str(national.pk), str(local.pk)}
    assert events[str(local.pk)].region == "51.05.01" and events[str(local.pk)].changes["reason"] == ["Hari raya desa adat", None]
    assert all(e.actor_id == operator.pk for e in events.values())


@pytest.mark.django_db(transaction=True)
def test_an_account_added_and_its_password_set_through_the_admin_never_puts_the_password_in_the_audit(committed, operator_client):
    first_password, second_password = "rahasia-awal-9981", "rahasia-kedua-7713"
    bawaslu = Agency.objects.get(slug="bawaslu-klungkung")
    added = operator_client.post(
        "/admin/accounts/user/add/",
        {"username": "staf-baru", "usable_password": "true", "password1": first_password, "password2": first_password, "agency": bawaslu.pk, "role": "staff", "area": "", "first_name": "Staf Baru", "email": ""},
    )
    assert added.status_code == 302, added.text[:3000]
    user = User.objects.get(username="staf-baru")
    assert user.check_password(first_password) and user.agency == bawaslu
    event = AuditEvent.objects.get(action="admin.add", object_type="accounts.user")
    assert event.changes["agency"] == [None, bawaslu.pk] and event.region == "51.05" and "password" not in event.changes
    changed = operator_client.post(f"/admin/accounts/user/{user.pk}/password/", {"usable_password": "true", "password1": second_password, "password2": second_password})
    assert changed.status_code == 302
    user.refresh_from_db()
    assert user.check_password(second_password)
    set_event = AuditEvent.objects.get(action="admin.password")
    assert (set_event.object_id, set_event.changes) == (str(user.pk), {})
    stored = json.dumps(list(AuditEvent.objects.values("changes", "object_repr")), default=str)
    for secret in (first_password, second_password, user.password, user.password.split("$")[-1]):
        assert secret not in stored


@pytest.mark.django_db(transaction=True)
def test_a_users_area_outside_the_agencys_region_is_refused(committed, operator_client):
    user = User.objects.get(username=personas.POLSEK_NUSA_PENIDA)
    url = f"/admin/accounts/user/{user.pk}/change/"
    form = form_of(operator_client.get(url))
    refused = operator_client.post(url, {**form, "area": "51.05.02"})  # Banjarangkan, not Nusa Penida
    assert refused.status_code == 200 and "harus berada di dalam wilayah lembaganya" in refused.text
    user.refresh_from_db()
    assert user.area_id is None and not AuditEvent.objects.filter(action="admin.change").exists()
    narrowed = operator_client.post(url, {**form, "area": "51.05.01.2010"})
    assert narrowed.status_code == 302
    assert AuditEvent.objects.get(action="admin.change").changes == {"area": [None, "51.05.01.2010"]}


@pytest.mark.django_db
def test_accounts_are_deactivated_never_deleted(operator_client, user_of):
    user = user_of(personas.KPU)
    assert operator_client.get(f"/admin/accounts/user/{user.pk}/delete/").status_code == 403
    assert operator_client.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=user.pk).exists()


# --- The audit log and service-kept rows ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_audit_log_is_read_only_in_the_admin(operator_client):
    event = AuditEvent.objects.order_by("pk").first()
    before = (event.action, event.changes, event.hash)
    listing = operator_client.get("/admin/audit/auditevent/")
    assert listing.status_code == 200 and event.action in listing.text
    assert 'name="action"' not in listing.text  # no bulk action (no delete)
    assert "/admin/audit/auditevent/add/" not in listing.text
    page = operator_client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.text and "/delete/" not in page.text
    assert operator_client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "diubah"}).status_code == 403
    assert operator_client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert operator_client.post("/admin/audit/auditevent/add/", {"action": "palsu"}).status_code == 403
    assert operator_client.post("/admin/audit/auditevent/", {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}).status_code in (200, 302)
    event.refresh_from_db()
    assert (event.action, event.changes, event.hash) == before


@pytest.mark.django_db
def test_rows_kept_by_services_are_not_in_the_admin(operator_client):
    index = operator_client.get("/admin/")
    assert index.status_code == 200
    for registered in ("/admin/accounts/agency/", "/admin/accounts/user/", "/admin/accounts/apitoken/", "/admin/elections/election/", "/admin/audit/auditevent/"):
        assert registered in index.text
    for absent in ("stations/station", "cases/case", "logistics/consignment", "supervisors/report", "auth/group", "axes/accesslog"):
        assert f"/admin/{absent}/" not in index.text
        assert operator_client.get(f"/admin/{absent}/").status_code == 404


@pytest.mark.django_db
def test_regions_and_elections_cannot_be_added_or_deleted(operator_client, pemilu):
    assert operator_client.get("/admin/regions/region/51.05/change/").status_code == 200
    assert operator_client.post("/admin/regions/region/51.05/change/", {"name": "Lain"}).status_code == 403
    assert operator_client.get("/admin/elections/election/add/").status_code == 403
    assert operator_client.post(f"/admin/elections/election/{pemilu.pk}/delete/", {"post": "yes"}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_an_election_with_an_unknown_time_zone_is_refused(committed, operator_client, pemilu):
    url = f"/admin/elections/election/{pemilu.pk}/change/"
    form = form_of(operator_client.get(url))
    refused = operator_client.post(url, {**form, "time_zone": "Asia/Denpasar"})
    assert refused.status_code == 200 and "tidak dikenal" in refused.text
    saved = operator_client.post(url, {**form, "max_voters_per_station": "350"})
    assert saved.status_code == 302
    assert AuditEvent.objects.get(action="admin.change", object_type="elections.election").changes == {"max_voters_per_station": [300, 350]}


@pytest.mark.django_db
def test_admin_pages_keep_the_content_security_policy(operator_client):
    """No inline script or style on the admin's pages: Sinergi's CSP (script-src and style-src
    'self') would block them."""
    agency = Agency.objects.get(slug="bawaslu-klungkung")
    for url in ("/admin/", "/admin/accounts/agency/", f"/admin/accounts/agency/{agency.pk}/change/", "/admin/accounts/user/add/", "/admin/audit/auditevent/"):
        response = operator_client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        inline_scripts = [s for s in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.text) if "application/json" not in s]
        assert not inline_scripts, (url, inline_scripts)
        assert not re.search(r"\son[a-z]+=\"", response.text), url  # no inline event handler
        assert " style=\"" not in response.text, url


@pytest.mark.django_db
def test_the_password_hash_is_never_shown_whole(operator_client, operator):
    page = operator_client.get(f"/admin/accounts/user/{operator.pk}/change/")
    assert page.status_code == 200 and operator.password not in page.text


@pytest.mark.django_db(transaction=True)
def test_lifting_a_lockout_is_audited_and_lets_the_account_sign_in_again(committed, operator_client, settings):
    from axes.models import AccessAttempt

    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/akun/masuk/", {"username": personas.POLRES, "password": "salah-terus-123"})
    assert Client().post("/akun/masuk/", {"username": personas.POLRES, "password": personas.PASSWORD}).status_code == 429
    attempt = AccessAttempt.objects.get(username=personas.POLRES)
    listing = operator_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and personas.POLRES in listing.text
    lifted = operator_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert lifted.status_code == 302 and not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(action="admin.delete", object_type="axes.accessattempt")
    assert event.object_repr == personas.POLRES and event.region == "51.05"
    assert set(event.changes) == {"username", "failures_since_start", "attempt_time", "ip_address"}
    assert "salah-terus" not in json.dumps(event.changes)
    assert Client().post("/akun/masuk/", {"username": personas.POLRES, "password": personas.PASSWORD}).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_createsuperuser_records_the_new_superuser_and_not_its_password(committed, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "operator-rahasia-5521")
    call_command("createsuperuser", "--no-input", username="operator-baru", email="operator@example.go.id", verbosity=0)
    user = User.objects.get(username="operator-baru")
    assert user.is_superuser and user.check_password("operator-rahasia-5521")
    event = AuditEvent.objects.get(action="user.create_superuser")
    assert (event.object_id, event.actor_id, event.actor_username, event.changes) == (str(user.pk), None, "sistem", {"is_superuser": [None, True]})
    assert "operator-rahasia" not in json.dumps(list(AuditEvent.objects.values("changes", "object_repr")))


@pytest.mark.django_db
def test_the_header_links_to_the_admin_for_a_superuser_only(operator_client, client_of):
    assert 'href="/admin/"' in operator_client.get("/", follow=True).text
    assert 'href="/admin/"' not in client_of(personas.BAWASLU).get("/", follow=True).text


@pytest.mark.django_db
def test_the_admins_sign_in_and_sign_out_are_sinergis(operator_client, operator, client_of):
    # Signed in already: the admin's sign-in page leads on, never to another sign-in form.
    assert operator_client.get("/admin/login/?next=/admin/accounts/agency/").headers["Location"] == "/admin/accounts/agency/"
    assert operator_client.get("/admin/login/?next=https://elsewhere.example/").headers["Location"] == "/admin/"
    assert client_of(personas.BAWASLU).get("/admin/login/").status_code == 403
    signed_out = operator_client.post("/admin/logout/")
    assert signed_out.status_code == 302 and signed_out.headers["Location"] == reverse("accounts:login")
    assert AuditEvent.objects.filter(action="user.sign_out", actor_id=operator.pk).exists()
    assert operator_client.get("/admin/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_token_revoked_in_the_admin_is_audited_without_its_digest_and_no_longer_opens_the_api(committed, operator_client, user_of):
    from sinergi.accounts.models import ApiToken
    from sinergi.accounts.services import create_token

    raw = create_token(actor=None, user=user_of(personas.KPU), name="Laptop gudang")
    token = ApiToken.objects.get(name="Laptop gudang")
    assert Client().get("/api/v1/elections", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    assert operator_client.get(f"/admin/accounts/apitoken/{token.pk}/change/").status_code == 200  # shown, read only
    revoked = operator_client.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert revoked.status_code == 302 and not ApiToken.objects.filter(pk=token.pk).exists()
    event = AuditEvent.objects.get(action="admin.delete", object_type="accounts.apitoken")
    assert event.object_repr == f"{token.prefix}… {personas.KPU}" and event.region == "51.05"
    assert event.changes["name"] == ["Laptop gudang", None] and "digest" not in event.changes
    assert token.digest not in json.dumps(event.changes)
    assert Client().get("/api/v1/elections", headers={"Authorization": f"Bearer {raw}"}).status_code == 401

"""Signing in and out, lockout, password change, language, security headers."""

import pytest
from django.test import Client, override_settings

from sinergi.audit.models import AuditEvent
from tests import personas


def login(client: Client, username: str, password: str):
    return client.post("/akun/masuk/", {"username": username, "password": password})


@pytest.mark.django_db
def test_a_persona_signs_in_and_lands_on_the_home_page():
    client = Client()
    response = login(client, personas.POLRES, personas.PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/pemilihan/pemilu-2024/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_password_is_refused_in_indonesian():
    response = login(Client(), personas.POLRES, "salah-sekali")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.text


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_with_the_right_password():
    client = Client()
    for _ in range(3):
        login(client, personas.KPU, "salah-sekali")
    response = login(client, personas.KPU, personas.PASSWORD)
    assert response.status_code == 429
    assert "Akun dikunci sementara" in response.text
    # Another persona is not affected.
    assert login(Client(), personas.POLRES, personas.PASSWORD).status_code == 302


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(client_of):
    client = client_of(personas.BAWASLU)
    assert client.get("/akun/keluar/").status_code == 405
    client.post("/akun/keluar/")
    assert client.get("/pemilihan/pemilu-2024/").status_code == 302


@pytest.mark.django_db
def test_password_change_is_audited_and_takes_effect(client_of, user_of):
    client = client_of(personas.JAKSA)
    response = client.post(
        "/akun/kata-sandi/",
        {"old_password": personas.PASSWORD, "new_password1": "Gakkumdu-Klungkung-2024", "new_password2": "Gakkumdu-Klungkung-2024"},
    )
    assert response.status_code == 302
    assert user_of(personas.JAKSA).check_password("Gakkumdu-Klungkung-2024")
    assert AuditEvent.objects.filter(action="user.password_change", actor_username=personas.JAKSA).count() == 1
    assert client.get("/pemilihan/pemilu-2024/").status_code == 200  # still signed in


@pytest.mark.django_db
def test_a_weak_new_password_is_refused(client_of, user_of):
    response = client_of(personas.JAKSA).post(
        "/akun/kata-sandi/", {"old_password": personas.PASSWORD, "new_password1": "12345", "new_password2": "12345"}
    )
    assert response.status_code == 200
    assert user_of(personas.JAKSA).check_password(personas.PASSWORD)


@pytest.mark.django_db
def test_the_interface_is_indonesian_by_default_and_switches_to_english(client_of):
    client = client_of(personas.BAWASLU)
    response = client.get("/pemilihan/pemilu-2024/")
    assert '<html lang="id">' in response.text and "Hari pemungutan suara" in response.text
    client.post("/i18n/setlang/", {"language": "en", "next": "/pemilihan/pemilu-2024/"})
    response = client.get("/pemilihan/pemilu-2024/")
    assert '<html lang="en">' in response.text and "Voting day" in response.text


@pytest.mark.django_db
def test_security_headers_and_content_security_policy(client_of):
    response = client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/peta/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # No inline script may exist for the policy to hold.
    assert "<script>" not in response.text and "onclick=" not in response.text


@pytest.mark.django_db
def test_csrf_is_enforced_on_login():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/akun/masuk/", {"username": personas.POLRES, "password": personas.PASSWORD})
    assert response.status_code == 403


@pytest.mark.django_db
def test_an_english_browser_still_gets_indonesian_until_the_user_switches(client_of):
    client = client_of(personas.POLRES)
    response = client.get("/pemilihan/pemilu-2024/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="id">' in response.text and response["Content-Language"] == "id"


@pytest.mark.django_db
def test_setting_up_accounts_is_refused_to_agency_users(user_of):
    from django.core.exceptions import PermissionDenied, ValidationError

    from sinergi.accounts.models import Agency
    from sinergi.accounts.services import create_token, ensure_user
    from sinergi.elections.services import install_preset

    bawaslu = user_of(personas.BAWASLU)
    agency = Agency.objects.get(slug="polres-klungkung")
    with pytest.raises(PermissionDenied):
        ensure_user(actor=bawaslu, username="baru", agency=agency, role="staff", full_name="Baru", password="x" * 12)
    with pytest.raises(PermissionDenied):
        create_token(actor=bawaslu, user=user_of(personas.POLRES))
    with pytest.raises(PermissionDenied):
        install_preset(actor=bawaslu, slug="pemilu-2024")
    with pytest.raises(ValidationError, match="harus berada di dalam wilayah lembaganya"):
        ensure_user(actor=None, username="baru", agency=Agency.objects.get(slug="polsek-nusa-penida"), role="staff", full_name="Baru", password="x" * 12, area_code="51.05.03")


@pytest.mark.django_db
def test_an_account_without_agency_sees_nothing(client_of):
    client = client_of(personas.NO_AGENCY)
    assert client.get("/wilayah/batas-desa.geojson").status_code == 403
    assert client.get("/pemilihan/pemilu-2024/tps/").status_code == 403
    assert client.get("/pemilihan/pemilu-2024/tps/ekspor.csv").status_code == 403


@pytest.mark.django_db
def test_a_ptps_sees_only_the_tps_of_its_post(client_of, ptps):
    response = client_of(personas.PTPS_PED).get("/pemilihan/pemilu-2024/tps/")
    assert [(s.village_id, s.number) for s in response.context["page"]] == [("51.05.01.2010", 17)]


@pytest.mark.django_db
def test_an_agency_sits_at_the_level_its_kind_serves():
    from django.core.exceptions import ValidationError

    from sinergi.accounts.services import ensure_agency

    with pytest.raises(ValidationError, match="Panwaslu Kelurahan/Desa berkedudukan di tingkat Desa/Kelurahan, bukan Kecamatan"):
        ensure_agency(actor=None, slug="pkd-salah", kind="pkd", name="PKD salah", region_code="51.05.01")
    with pytest.raises(ValidationError, match="Polsek berkedudukan di tingkat Kecamatan"):
        ensure_agency(actor=None, slug="polsek-salah", kind="polsek", name="Polsek salah", region_code="51.05")
    with pytest.raises(ValidationError, match="Wilayah 51.99 tidak ada"):
        ensure_agency(actor=None, slug="kpu-x", kind="kpu", name="KPU X", region_code="51.99")
    assert ensure_agency(actor=None, slug="pkd-ped-2", kind="pkd", name="PKD Ped", region_code="51.05.01.2010").region_id == "51.05.01.2010"

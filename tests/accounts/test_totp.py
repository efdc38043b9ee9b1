"""Two-factor sign-in with TOTP (accounts/totp.py): enrolment while activating, the code after the
password, the lockout and audit of wrong codes, TOTP_REQUIRED, field accounts never asked, resets."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.models import ActivationLink, User
from sinergi.audit.models import AuditEvent
from tests import personas
from tests.accounts.conftest import PANWASCAM_DAWAN, PANWASCAM_NP, POLRES
from tests.accounts.totp_codes import code_for, code_from_key, key_from_secret

PASSWORD = "Pengawas-Klungkung-24"
ENROL = "/akun/masuk/autentikator/"
CODE = "/akun/masuk/kode/"


def sign_in(client: Client, username: str, password: str = personas.PASSWORD, path: str = "/akun/masuk/"):
    return client.post(path, {"username": username, "password": password})


def signed_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def enrolled(username: str) -> TOTPDevice:
    """`username` with a confirmed authenticator, as after an enrolment (the test's own set-up)."""
    TOTPDevice.objects.filter(user__username=username).delete()
    return TOTPDevice.objects.create(user=User.objects.get(username=username), name="Sinergi", confirmed=True)


@pytest.mark.django_db
@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_an_invited_administrator_enrols_totp_while_activating_then_signs_in_with_a_code():
    out = io.StringIO()
    call_command("invite", "made.sudana", agency="bawaslu-klungkung", role="admin", stdout=out)
    link = re.search(r"(/akun/aktivasi/[\w-]+/)", out.getvalue()).group(1)
    client = Client()
    assert client.get(link)["Location"] == "/akun/aktivasi/kata-sandi/"
    chosen = client.post("/akun/aktivasi/kata-sandi/", {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert chosen.status_code == 302 and chosen["Location"] == ENROL
    user = User.objects.get(username="made.sudana")
    assert ActivationLink.objects.get(user=user).used_at is not None  # once, as before
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    # Until a code confirms the authenticator, the password alone signs nobody in.
    elsewhere = Client()
    assert sign_in(elsewhere, "made.sudana", PASSWORD)["Location"] == ENROL and signed_in_as(elsewhere) is None
    page = client.get(ENROL)
    assert page.status_code == 200 and 'data-testid="totp-qr"' in page.text and 'src="data:image/svg+xml' in page.text
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page.text).group(1)
    assert key_from_secret(secret) == device.bin_key
    assert "Daftarkan aplikasi autentikator" in page.text and "made.sudana" in page.text
    # A wrong code: refused in Indonesian, audited without the code or the secret, nothing confirmed.
    wrong = client.post(ENROL, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "Kode salah atau sudah kedaluwarsa" in wrong.text
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    failed = AuditEvent.objects.get(action="user.totp_failed")
    assert (failed.actor_id, failed.object_id, failed.changes) == (None, str(user.pk), {"step": [None, "enrol"]})
    done = client.post(ENROL, {"code": code_for(device)}, follow=True)
    assert done.redirect_chain == [("/akun/masuk/", 302)]
    assert "Akun aktif. Silakan masuk sebagai made.sudana dengan kata sandi dan kode 6 angka." in done.text
    assert TOTPDevice.objects.get(pk=device.pk).confirmed and signed_in_as(client) is None
    enrol_event = AuditEvent.objects.get(action="user.totp_enrol")
    assert (enrol_event.actor_id, enrol_event.object_id, enrol_event.region) == (user.pk, str(user.pk), "51.05")
    for event in AuditEvent.objects.filter(object_id=str(user.pk)):
        assert device.key not in str(event.changes) and secret.replace(" ", "") not in str(event.changes)
    # The first sign-in: the password, then the code; the session is signed in only after it.
    first = Client()
    asked = sign_in(first, "made.sudana", PASSWORD, path="/akun/masuk/?next=/akun/pengguna/")
    assert asked.status_code == 302 and asked["Location"] == CODE and signed_in_as(first) is None
    assert first.get("/akun/pengguna/")["Location"].startswith("/akun/masuk/")
    form = first.get(CODE)
    assert form.status_code == 200 and "Kode autentikator" in form.text
    landed = first.post(CODE, {"code": code_for(device, ahead=1)})
    assert landed.status_code == 302 and landed["Location"] == "/akun/pengguna/"
    assert signed_in_as(first) == user.pk and first.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert first.get("/akun/pengguna/").status_code == 200
    assert AuditEvent.objects.filter(action="user.sign_in", actor=user).count() == 1
    # The same code again (replayed) no longer passes.
    replay = Client()
    sign_in(replay, "made.sudana", PASSWORD)
    assert replay.post(CODE, {"code": code_for(device, ahead=1)}).status_code == 400 and signed_in_as(replay) is None


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3, OTP_TOTP_THROTTLE_FACTOR=0)
def test_wrong_codes_are_refused_audited_and_lock_the_account_like_wrong_passwords(user_of):
    device = enrolled(personas.POLRES)
    polres = user_of(personas.POLRES)
    client = Client()
    assert sign_in(client, personas.POLRES, "salah-sekali").status_code == 200  # failure 1: a password
    assert sign_in(client, personas.POLRES)["Location"] == CODE
    wrong = "000000" if code_for(device) != "000000" else "111111"
    refused = client.post(CODE, {"code": wrong})  # failure 2: a code
    assert refused.status_code == 400 and "Kode salah atau sudah kedaluwarsa" in refused.text and signed_in_as(client) is None
    events = AuditEvent.objects.filter(action="user.totp_failed", object_id=str(polres.pk))
    assert events.count() == 1 and events.get().changes == {"step": [None, "sign_in"]} and events.get().actor_id is None
    # The third failure, wrong password or wrong code together, reaches AXES_FAILURE_LIMIT:
    # locked, the right code no longer helps.
    locked = client.post(CODE, {"code": wrong})
    assert locked.status_code == 429 and "Akun dikunci sementara" in locked.text
    assert client.post(CODE, {"code": code_for(device)}).status_code == 429
    assert signed_in_as(client) is None
    again = sign_in(Client(), personas.POLRES)
    assert again.status_code == 429
    # Another account is not affected.
    assert sign_in(Client(), personas.KPU).status_code == 302


@pytest.mark.django_db
def test_right_after_a_wrong_code_the_next_waits_a_moment(user_of):
    # django-otp's throttle (OTP_TOTP_THROTTLE_FACTOR, 1 s doubling): said, not counted as a failure.
    device = enrolled(personas.POLRES)
    client = Client()
    sign_in(client, personas.POLRES)
    client.post(CODE, {"code": "000000" if code_for(device) != "000000" else "111111"})
    wait = client.post(CODE, {"code": code_for(device)})
    assert wait.status_code == 400 and "tunggu 1 detik" in wait.text and signed_in_as(client) is None
    assert AuditEvent.objects.filter(action="user.totp_failed").count() == 1


@pytest.mark.django_db
def test_the_second_step_needs_a_password_just_given(user_of):
    step = Client().get(CODE, follow=True)
    assert step.redirect_chain == [("/akun/masuk/", 302)] and "Langkah masuk kedua sudah berakhir" in step.text
    # A password changed meanwhile (a reset by e-mail) ends a second step begun with the old one.
    device = enrolled(personas.POLRES)
    client = Client()
    sign_in(client, personas.POLRES)
    polres = user_of(personas.POLRES)
    polres.set_password("Kata-Sandi-Baru-2024")
    polres.save()
    ended = client.post(CODE, {"code": code_for(device)})
    assert ended["Location"] == "/akun/masuk/" and signed_in_as(client) is None


@pytest.mark.django_db
def test_a_superuser_gives_a_code_before_the_operator_s_admin_which_does_not_show_devices():
    User.objects.create_superuser(username="root", password=personas.PASSWORD)
    device = enrolled("root")
    client = Client()
    assert sign_in(client, "root", path="/akun/masuk/?next=/admin/")["Location"] == CODE
    assert client.get("/admin/", follow=True).redirect_chain[-1][0].startswith("/akun/masuk/") and signed_in_as(client) is None
    assert client.post(CODE, {"code": code_for(device)})["Location"] == "/admin/"
    index = client.get("/admin/")
    assert index.status_code == 200 and "totpdevice" not in index.text
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


@pytest.mark.django_db
def test_without_totp_required_an_account_without_a_device_signs_in_with_its_password():
    client = Client()
    assert sign_in(client, personas.POLRES)["Location"] == "/" and signed_in_as(client) is not None
    assert not TOTPDevice.objects.exists()


@pytest.mark.django_db
@override_settings(TOTP_REQUIRED=True)
@pytest.mark.parametrize("username", [personas.POLRES, personas.BAWASLU, "root"])
def test_totp_required_sends_a_desk_account_without_a_device_to_enrol_first(username):
    if username == "root":  # superusers are desk accounts too
        User.objects.create_superuser(username="root", password=personas.PASSWORD)
    client = Client()
    asked = sign_in(client, username)
    assert asked["Location"] == ENROL and signed_in_as(client) is None
    assert client.get("/pemilihan/pemilu-2024/")["Location"].startswith("/akun/masuk/")
    page = client.get(ENROL)
    assert page.status_code == 200 and "Daftarkan dan masuk" in page.text
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page.text).group(1)
    done = client.post(ENROL, {"code": code_from_key(key_from_secret(secret))})
    assert done.status_code == 302 and done["Location"] == "/"
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and signed_in_as(client) == user.pk and client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert AuditEvent.objects.filter(action="user.totp_enrol", actor=user).count() == 1
    assert AuditEvent.objects.filter(action="user.sign_in", actor=user).count() == 1
    # From then on: the code after the password.
    assert sign_in(Client(), username)["Location"] == CODE


@pytest.mark.django_db
@override_settings(TOTP_REQUIRED=True)
def test_field_accounts_are_never_asked_for_a_code(user_of):
    client = Client()
    response = sign_in(client, personas.PTPS_PED)
    assert response.status_code == 302 and response["Location"] not in (ENROL, CODE)
    assert signed_in_as(client) == user_of(personas.PTPS_PED).pk
    # Not even with a device left from a desk role it once had.
    enrolled(personas.PTPS_PED)
    other = Client()
    assert sign_in(other, personas.PTPS_PED)["Location"] not in (ENROL, CODE) and signed_in_as(other) is not None
    # An invited PTPS sets its password and signs in, no enrolment.
    out = io.StringIO()
    call_command("invite", "ptps-ped-18", agency="pkd-5105012010", role="field", stdout=out)
    fresh = Client()
    fresh.get(re.search(r"(/akun/aktivasi/[\w-]+/)", out.getvalue()).group(1))
    chosen = fresh.post("/akun/aktivasi/kata-sandi/", {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert chosen["Location"] == "/akun/masuk/" and not TOTPDevice.objects.filter(user__username="ptps-ped-18").exists()


@pytest.mark.django_db
@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_the_managing_administrator_resets_a_user_s_totp_after_asking(admin_client, user_of):
    device = enrolled(personas.PANWASCAM_NUSA_PENIDA)
    target = user_of(personas.PANWASCAM_NUSA_PENIDA)
    client = admin_client(PANWASCAM_NP)
    listed = client.get("/akun/pengguna/")
    assert re.search(rf'data-username="{personas.PANWASCAM_NUSA_PENIDA}".*?data-totp="enrolled"', listed.text, re.S)
    assert f"/akun/pengguna/{target.pk}/atur-ulang-totp/" in listed.text
    asked = client.post(f"/akun/pengguna/{target.pk}/atur-ulang-totp/")
    assert asked.status_code == 200 and 'data-testid="confirm"' in asked.text and "Atur ulang TOTP" in asked.text
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    done = client.post(f"/akun/pengguna/{target.pk}/atur-ulang-totp/", {"confirm": "1"}, follow=True)
    assert "diatur ulang" in done.text
    assert re.search(rf'data-username="{personas.PANWASCAM_NUSA_PENIDA}".*?data-totp="pending"', done.text, re.S)
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    fresh = TOTPDevice.objects.get(user=target)
    assert not fresh.confirmed and fresh.key != device.key
    event = AuditEvent.objects.get(action="user.totp_reset")
    assert (event.actor_username, event.object_id, event.changes) == ("admin-panwascam-nusa-penida", str(target.pk), {"totp": ["terdaftar", "menunggu pendaftaran"]})
    assert fresh.key not in str(event.changes)
    # The user enrols again at the next sign-in (TOTP_REQUIRED or not).
    user_client = Client()
    assert sign_in(user_client, personas.PANWASCAM_NUSA_PENIDA)["Location"] == ENROL
    assert user_client.post(ENROL, {"code": code_for(fresh)})["Location"] == "/"


@pytest.mark.django_db
def test_another_kecamatan_s_or_agency_s_administrator_cannot_reset(admin_client, user_of):
    device = enrolled(personas.PANWASCAM_NUSA_PENIDA)
    target = user_of(personas.PANWASCAM_NUSA_PENIDA)
    for slug in (PANWASCAM_DAWAN, POLRES):
        client = admin_client(slug)
        assert client.post(f"/akun/pengguna/{target.pk}/atur-ulang-totp/", {"confirm": "1"}).status_code == 404
        assert f"/akun/pengguna/{target.pk}/atur-ulang-totp/" not in client.get("/akun/pengguna/").text
    # Nobody signed in, and staff (no administrators at all), are refused too.
    assert Client().post(f"/akun/pengguna/{target.pk}/atur-ulang-totp/", {"confirm": "1"})["Location"].startswith("/akun/masuk/")
    staff = Client()
    staff.force_login(user_of(personas.POLRES))
    assert staff.post(f"/akun/pengguna/{target.pk}/atur-ulang-totp/", {"confirm": "1"}).status_code == 403
    assert TOTPDevice.objects.get(pk=device.pk).confirmed and not AuditEvent.objects.filter(action="user.totp_reset").exists()


@pytest.mark.django_db
def test_a_field_account_s_totp_is_not_reset(client_of, user_of):
    ptps = user_of(personas.PTPS_PED)
    refused = client_of(personas.BAWASLU).post(f"/akun/pengguna/{ptps.pk}/atur-ulang-totp/", {"confirm": "1"}, follow=True)
    assert "akun lapangan tidak memakai TOTP" in refused.text and not TOTPDevice.objects.filter(user=ptps).exists()


@pytest.mark.django_db
def test_the_command_resets_anyone_s_totp_a_superuser_s_included():
    root = User.objects.create_superuser(username="root", password=personas.PASSWORD)
    device = enrolled("root")
    out = io.StringIO()
    call_command("reset_totp", "root", stdout=out)
    assert "TOTP root diatur ulang" in out.getvalue()
    assert not TOTPDevice.objects.filter(pk=device.pk).exists() and not TOTPDevice.objects.get(user=root).confirmed
    event = AuditEvent.objects.get(action="user.totp_reset")
    assert (event.actor_id, event.object_id) == (None, str(root.pk))
    assert sign_in(Client(), "root")["Location"] == ENROL
    with pytest.raises(CommandError, match="Pengguna 'tidak-ada' tidak ada"):
        call_command("reset_totp", "tidak-ada", stdout=io.StringIO())
    with pytest.raises(CommandError, match="akun lapangan tidak memakai TOTP"):
        call_command("reset_totp", personas.PTPS_PED, stdout=io.StringIO())
    assert AuditEvent.objects.filter(action="user.totp_reset").count() == 1


@pytest.mark.django_db
def test_a_re_invitation_replaces_the_authenticator_when_the_link_is_used():
    device = enrolled(personas.POLRES)
    out = io.StringIO()
    call_command("invite", personas.POLRES, agency="polres-klungkung", role="staff", stdout=out)
    client = Client()
    client.get(re.search(r"(/akun/aktivasi/[\w-]+/)", out.getvalue()).group(1))
    assert client.post("/akun/aktivasi/kata-sandi/", {"new_password1": PASSWORD, "new_password2": PASSWORD})["Location"] == ENROL
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    fresh = TOTPDevice.objects.get(user__username=personas.POLRES)
    assert not fresh.confirmed and fresh.key != device.key
    activated = AuditEvent.objects.get(action="user.activate")
    assert activated.changes == {"totp": [None, "menunggu pendaftaran"]}

"""Issue 14: an invitation accepted and a first sign-in with TOTP, in a real browser. The invited
administrator chooses a password, enrols an authenticator from the secret shown on the page (the
test computes the codes as the app would), then signs in with the password and a code."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from tests.accounts.totp_codes import code_from_key, key_from_secret

pytestmark = pytest.mark.browser

PASSWORD = "Pengawas-Klungkung-24"


def test_an_invited_administrator_enrols_totp_and_signs_in_with_a_code(site, page):
    out = io.StringIO()
    call_command("invite", "made.sudana", agency="bawaslu-klungkung", role="admin", name="Made Sudana", stdout=out)
    link = re.search(r"(/akun/aktivasi/[\w-]+/)", out.getvalue()).group(1)

    # The invitation link: the password form, its secret moved out of the address bar.
    page.goto(f"{site.url}{link}")
    page.wait_for_url(f"{site.url}/akun/aktivasi/kata-sandi/")
    expect(page.locator("h1")).to_have_text("Aktifkan akun")
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.click("form.form button[type=submit]")

    # The authenticator: a QR code, and the secret as text for typing into the app by hand.
    page.wait_for_url(f"{site.url}/akun/masuk/autentikator/")
    qr = page.locator("[data-testid=totp-qr]")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    key = key_from_secret(page.locator("[data-testid=totp-secret]").inner_text())
    page.fill("#id_code", code_from_key(key))
    page.click("[data-testid=totp-enrol] button[type=submit]")

    # Active: the first sign-in, the password then the code (the next 30-second step's: the
    # enrolment's own code cannot be used twice).
    page.wait_for_url(f"{site.url}/akun/masuk/")
    expect(page.locator("body")).to_contain_text("Akun aktif. Silakan masuk sebagai made.sudana")
    page.fill("#id_username", "made.sudana")
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{site.url}/akun/masuk/kode/")
    expect(page.locator("h1")).to_have_text("Kode autentikator")
    page.fill("#id_code", code_from_key(key, ahead=1))
    page.click("[data-testid=totp-code] button[type=submit]")

    # Landed on Sinergi, signed in as the new administrator.
    page.wait_for_url(re.compile(r".*/pemilihan/[a-z0-9-]+/$"))
    expect(page.locator("[data-testid=nav-users]")).to_be_visible()
    user = User.objects.get(username="made.sudana")
    assert user.totpdevice_set.get().confirmed
    assert list(AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk)).order_by("pk").values_list("action", flat=True)) == [
        "user.invite", "user.activate", "user.totp_enrol", "user.sign_in",
    ]  # fmt: skip
    assert page.problems == []

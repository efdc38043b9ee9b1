"""An officer checks in at a guard post from a phone without a signal: the check-in waits on the
phone, arrives once when the signal returns, and the Polsek's plan-versus-actual board shows it."""

import re

import pytest
from playwright.sync_api import expect

from sinergi.accounts.models import Agency
from sinergi.elections.models import Election
from sinergi.guard.demo import field_account
from sinergi.guard.models import GuardPost, PostCheckIn
from sinergi.guard.post_services import fix_plan
from tests import personas
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def sign_in(page, site, username):
    page.goto(f"{site.url}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", personas.PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*/akun/masuk/).*$"))


def test_an_officer_checks_in_offline_and_the_board_shows_it_once(site, browser, page):
    election = Election.objects.get(slug="pemilu-2024")
    fix_plan(actor=None, election=election, polres=Agency.objects.get(slug="polres-klungkung"))
    polsek = Agency.objects.get(slug="polsek-nusa-penida")
    officer = field_account(polsek)
    post = GuardPost.objects.filter(election=election, polsek=polsek).order_by("number").first()

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="id-ID", permissions=["geolocation"], geolocation={"latitude": -8.7275, "longitude": 115.5444}
    )
    phone = context.new_page()
    problems = []
    phone.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(phone, site, officer.username)
    phone.goto(f"{site.url}/pemilihan/pemilu-2024/pengamanan/lapangan/")
    phone.wait_for_selector("#post-app[data-ready]")
    assert phone.locator("#post option").count() == GuardPost.objects.filter(election=election, polsek=polsek).count()  # its own posts only

    context.set_offline(True)
    phone.select_option("#post", str(post.pk))
    phone.fill("#linmas", "3")
    phone.click("#checkin button[type=submit]")
    expect(phone.locator("#queue li[data-state=waiting]")).to_have_count(1)
    expect(phone.locator("[data-testid=saved]")).to_be_visible()
    assert not PostCheckIn.objects.exists()
    phone.screenshot(path=str(SCREENSHOTS / "guard-post-check-in-offline.png"))

    context.set_offline(False)
    expect(phone.locator("#queue li[data-state=sent]")).to_have_count(1, timeout=20000)
    stored = PostCheckIn.objects.get()
    assert (stored.post_id, stored.linmas_present, stored.by_id) == (post.pk, 3, officer.pk)
    assert stored.latitude == pytest.approx(-8.7275)
    phone.reload()  # nothing is sent twice
    phone.wait_for_selector("#post-app[data-ready]")
    phone.wait_for_timeout(500)
    assert PostCheckIn.objects.count() == 1

    # The page itself opens without a signal (its service worker keeps the shell, the posts are on the phone).
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.set_offline(True)
    phone.reload()
    phone.wait_for_selector("#post-app[data-ready]")
    expect(phone.locator("#post option")).to_have_count(GuardPost.objects.filter(election=election, polsek=polsek).count())
    expect(phone.locator("#queue li[data-state=sent]")).to_have_count(1)
    context.set_offline(False)
    assert problems == []
    context.close()

    sign_in(page, site, personas.POLSEK_NUSA_PENIDA)
    page.goto(f"{site.url}/pemilihan/pemilu-2024/pengamanan/pos/")
    row = page.locator(f"[data-testid=posts-board] tr[data-post='{post.code}']")
    expect(row).to_have_attribute("data-state", "terisi")
    expect(page.locator("[data-testid=posts-board] tr[data-state=terisi]")).to_have_count(1)
    expect(page.locator("[data-testid=posts-per-polsek] tbody tr")).to_have_count(1)  # Nusa Penida only
    page.screenshot(path=str(SCREENSHOTS / "guard-post-board.png"), full_page=True)

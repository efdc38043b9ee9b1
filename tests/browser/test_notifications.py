"""In the browser: Bawaslu broadcasts to the PTPS of Nusa Penida, the PTPS acknowledges it on a
phone from its notification list, and Bawaslu sees who acknowledged; with VAPID keys set, pages
offer Web Push without a script error (the Content Security Policy allows push.js)."""

import pytest

from sinergi.notifications.push_keys import new_key_pair
from sinergi.supervisors.demo import FIELD_ACCOUNT
from tests import personas
from tests.browser.test_map import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def test_a_broadcast_is_acknowledged_on_a_phone_and_the_sender_sees_it(site, page, phone, settings):
    settings.WEBPUSH_VAPID_PUBLIC_KEY, settings.WEBPUSH_VAPID_PRIVATE_KEY = new_key_pair()
    sign_in(page, site, personas.BAWASLU)
    page.goto(f"{site.url}/pemilihan/pemilu-2024/siaran/")
    page.select_option("#id_area", "51.05.01")
    page.select_option("#id_agency_kind", "pkd")
    page.select_option("#id_role", "field")
    page.fill("#id_title", "Apel siaga 06.00")
    page.fill("#id_body", "Semua PTPS hadir di TPS pukul 06.00.")
    page.click("[data-testid=broadcast-form] button[type=submit]")
    page.wait_for_url("**/siaran/*/")
    total = int(page.locator("[data-testid=ack-count]").inner_text().split(" dari ")[1].split()[0])
    assert page.locator("[data-testid=ack-count]").inner_text().startswith("0 dari") and total >= 1

    sign_in(phone, site, FIELD_ACCOUNT)
    assert phone.locator("[data-testid=unread-count]").inner_text() == "1"
    phone.goto(f"{site.url}/notifikasi/")
    assert phone.locator("[data-push-subscribe]").is_visible()  # push.js ran and offers the subscription
    phone.click("[data-testid=acknowledge]")
    phone.wait_for_selector("[data-testid=acknowledged]")
    assert not phone.locator("[data-testid=unread-count]").count()
    assert phone.problems == []

    page.reload()
    assert page.locator("[data-testid=ack-count]").inner_text().startswith("1 dari")
    assert page.locator(f"[data-testid=recipient-{FIELD_ACCOUNT}] .status-lengkap").count() == 1
    assert page.problems == []


def test_a_ptps_acknowledges_from_its_field_app_without_a_signal(site, browser, user_of):
    """The field app's panel: the tap is kept on the phone while offline and sent once the signal
    returns; the acknowledgement is stored once."""
    from playwright.sync_api import expect

    from sinergi.elections.models import Election
    from sinergi.notifications.models import Notification
    from sinergi.notifications.services import send_broadcast

    send_broadcast(
        actor=user_of(personas.BAWASLU), election=Election.objects.get(slug="pemilu-2024"), area="51.05.01", agency_kind="pkd", role="field",
        title="Kapal 07.00 dibatalkan", body="Logistik menyeberang pukul 09.00.",
    )
    notification = Notification.objects.get(recipient__username=FIELD_ACCOUNT, title="Kapal 07.00 dibatalkan")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID", is_mobile=True, has_touch=True)
    phone = context.new_page()
    problems = []
    phone.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(phone, site, FIELD_ACCOUNT)
    phone.goto(f"{site.url}/lapangan/")
    panel = phone.locator("[data-testid=awaiting-broadcasts]")
    assert "Kapal 07.00 dibatalkan" in panel.inner_text()

    context.set_offline(True)
    panel.locator(f"li[data-notification='{notification.pk}'] [data-testid=acknowledge]").click()
    row = panel.locator(f"li[data-notification='{notification.pk}']")
    expect(row).to_have_attribute("data-state", "waiting")
    expect(row).to_contain_text("tersimpan di ponsel")
    notification.refresh_from_db()
    assert notification.acknowledged_at is None

    context.set_offline(False)
    expect(row).to_have_attribute("data-state", "sent", timeout=20000)
    notification.refresh_from_db()
    assert notification.acknowledged_at is not None
    phone.reload()
    expect(phone.locator("[data-testid=awaiting-broadcasts]")).to_have_count(0)  # listed no more
    assert problems == []
    context.close()

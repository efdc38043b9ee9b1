"""The loop in a real browser (docs/incidents.md): a PTPS files a serious incident offline, it
syncs, Bawaslu refers it, the Polsek acknowledges, arrives and resolves it on a phone, and the PTPS
sees the answer in its field app."""

import pytest
from playwright.sync_api import expect

from sinergi.supervisors.models import Incident
from tests import personas
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_field_app import file_incident
from tests.browser.test_map import open_field_app, sign_in

pytestmark = pytest.mark.browser


def test_an_incident_filed_offline_is_referred_answered_on_a_phone_and_the_ptps_sees_the_answer(site, browser):
    assignment, ptps_context, ptps, problems = open_field_app(site, browser)
    ptps_context.set_offline(True)
    file_incident(ptps, "Tim sukses mengancam pemilih di antrean (uji).")
    expect(ptps.locator("#queue li[data-state=waiting]")).to_have_count(1)
    ptps_context.set_offline(False)
    expect(ptps.locator("#queue li[data-state=sent]")).to_have_count(1, timeout=20000)
    incident = Incident.objects.get(station=assignment.station, description__startswith="Tim sukses mengancam")
    assert incident.severity == "tinggi" and incident.state == "baru"
    url = f"{site.url}/pemilihan/pemilu-2024/kejadian/{incident.pk}/"

    # Bawaslu refers it to the Polsek of the TPS (the default choice).
    desk = browser.new_context(viewport={"width": 1100, "height": 800}, locale="id-ID")
    bawaslu = desk.new_page()
    sign_in(bawaslu, site, personas.BAWASLU)
    bawaslu.goto(url)
    expect(bawaslu.locator("#lembaga option:checked")).to_have_text("Polsek Nusa Penida")
    bawaslu.click("[data-testid=refer-form] button[type=submit]")
    expect(bawaslu.locator("[data-testid=incident-state]")).to_contain_text("Dirujuk ke polisi")

    # The Kapolsek, on a phone: acknowledge, arrive, resolve.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", is_mobile=True, has_touch=True)
    polsek = phone.new_page()
    sign_in(polsek, site, personas.POLSEK_NUSA_PENIDA)
    polsek.goto(url)
    polsek.click("[data-testid=acknowledge-form] button[type=submit]")
    expect(polsek.locator("[data-testid=incident-state]")).to_contain_text("Diterima polisi")
    polsek.click("[data-testid=arrive-form] button[type=submit]")
    expect(polsek.locator("[data-testid=incident-state]")).to_contain_text("Polisi di lokasi")
    polsek.fill("#tindakan", "Pelaku diamankan, pemilih kembali mengantre dengan tertib.")
    polsek.fill("#oleh", "Aiptu Nyoman (uji), Polsek Nusa Penida")
    polsek.locator("[data-testid=resolve-form] button[type=submit]").scroll_into_view_if_needed()
    polsek.click("[data-testid=resolve-form] button[type=submit]")
    expect(polsek.locator("[data-testid=incident-state]")).to_contain_text("Selesai")
    width = polsek.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the incident page scrolls sideways on a phone ({width}px)"
    polsek.screenshot(path=str(SCREENSHOTS / "incident-resolved-phone.png"), full_page=True)

    # The PTPS sees the answer.
    ptps.reload()
    ptps.wait_for_selector("#field-app[data-ready]")
    answers = ptps.locator("[data-testid=incident-answers]")
    expect(answers).to_contain_text("Selesai")
    expect(answers).to_contain_text("Pelaku diamankan")
    expect(answers).to_contain_text("Aiptu Nyoman (uji)")
    assert list(Incident.objects.get(pk=incident.pk).steps.values_list("action", flat=True)) == ["rujuk", "terima", "tiba", "selesaikan"]
    assert problems == []
    for context in (ptps_context, desk, phone):
        context.close()

"""A joint monitoring visit in a real browser: the Polsek of Nusa Penida plans it on a phone over
the crossing, records what it found at a TPS on the day, Bawaslu applies the findings to the
vulnerability checklist, and the report PDF downloads for both."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from sinergi.risk.models import ChecklistAnswer
from sinergi.stations.models import Station
from sinergi.visits.models import Visit
from tests import personas
from tests.browser.conftest import SCREENSHOTS
from tests.visits.conftest import joint_agencies

pytestmark = pytest.mark.browser

WITA = ZoneInfo("Asia/Makassar")
PED = "51.05.01.2010"
INTIMIDATION = "2.2"
VISITS = "/pemilihan/pemilu-2024/kunjungan/"


def sign_in(page, site, username):
    page.goto(f"{site.url}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", personas.PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*/akun/masuk/).*$"))


def test_a_visit_planned_on_a_phone_found_and_applied(site, browser, page, on):
    on(datetime(2024, 2, 1, 9, 0, tzinfo=WITA))
    stations = list(Station.objects.filter(election__slug="pemilu-2024", village_id=PED).exclude(number__in=[17, 18]).order_by("number")[:2])
    before = set(Visit.objects.values_list("pk", flat=True))

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    phone = context.new_page()
    problems = []
    phone.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(phone, site, personas.POLSEK_NUSA_PENIDA)
    phone.goto(f"{site.url}{VISITS}baru/")
    expect(phone.locator("h1")).to_contain_text("Nusa Penida")
    phone.fill("#id_day", "2024-02-06")
    for pk in joint_agencies():
        phone.check(f"input[name=agencies][value='{pk}']")
    phone.fill("#id_team", "Kapolsek Nusa Penida\nAnggota Bawaslu Klungkung")
    # The route in reverse order of the TPS numbers: the order typed is the order kept.
    phone.fill(f"#id_order_{stations[1].pk}", "1")
    phone.fill(f"#id_order_{stations[0].pk}", "2")
    phone.click("[data-testid=visit-form] button[type=submit]")
    expect(phone.locator("[data-testid=journey]")).to_contain_text("kapal berangkat")
    visit = Visit.objects.exclude(pk__in=before).get()
    assert [s.station_id for s in visit.stops.order_by("order")] == [stations[1].pk, stations[0].pk]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
    phone.screenshot(path=str(SCREENSHOTS / "visit-planned-phone.png"), full_page=True)

    # On the day, at the first TPS: intimidation found. The Polsek cannot write Bawaslu's checklist:
    # the findings wait on the visit.
    on(datetime(2024, 2, 6, 11, 0, tzinfo=WITA))
    sign_in(phone, site, personas.POLSEK_NUSA_PENIDA)  # five days later: a new session
    phone.goto(f"{site.url}{VISITS}{visit.pk}/")
    phone.locator("[data-testid=stop-1] a", has_text="Catat temuan").click()
    phone.locator("tr", has_text=f"{INTIMIDATION} ").locator("input[type=checkbox]").check()
    phone.fill("#id_note", "Warga melaporkan ancaman kepada pemilih.")
    phone.click("[data-testid=findings-form] button[type=submit]")
    expect(phone.locator("[data-testid=stop-1]")).to_contain_text("menunggu diterapkan Bawaslu")
    assert not ChecklistAnswer.objects.filter(station=stations[1], visit=visit).exists()

    # Bawaslu, at its desk, applies them: the TPS's checklist now has the visit as its source.
    sign_in(page, site, personas.BAWASLU)
    page.goto(f"{site.url}{VISITS}{visit.pk}/")
    page.locator("[data-testid=stop-1]").get_by_role("button", name="Terapkan pada daftar periksa").click()
    expect(page.locator("[data-testid=stop-1]")).to_contain_text("diterapkan")
    answer = ChecklistAnswer.objects.get(station=stations[1], indicator__code=INTIMIDATION)
    assert answer.present and answer.visit_id == visit.pk

    # The report, for both agencies, through each one's own session.
    for client in (page, phone):
        href = client.locator("[data-testid=report-pdf]").get_attribute("href")
        pdf = client.context.request.get(f"{site.url}{href}")
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    assert problems == [] and page.problems == []
    context.close()

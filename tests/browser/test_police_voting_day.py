"""In a real browser: Polsek Nusa Penida follows its kecamatan's voting day — the coverage board, a
TPS's incident opened to its voting-day page (the security answers, the PTPS's phone masked), and
the situation room's reports layer."""

import pytest

from tests import personas
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_map import sign_in

pytestmark = pytest.mark.browser


def test_polsek_reads_its_voting_day_without_personal_data(site, page):
    sign_in(page, site, personas.POLSEK_NUSA_PENIDA)
    page.goto(f"{site.url}/pemilihan/pemilu-2024/")
    page.click("text=Laporan TPS")
    page.wait_for_selector("[data-testid=coverage-board]")
    assert page.locator("[data-testid=police-note]").is_visible()
    alerts = page.locator("[data-testid=coverage-alerts]")
    assert "sanksi adat" in alerts.inner_text()
    assert page.locator("[data-testid=late-list] a[href^='tel:']").count() == 0

    alerts.locator("li.severity-tinggi", has_text="TPS 017 Ped").locator("a").first.click()
    page.wait_for_selector("[data-testid=status-stages]")
    assert "TPS 017 Ped" in page.locator("h1").inner_text()
    assert "sanksi adat" in page.locator("[data-testid=status-incidents]").inner_text()
    assert "Kotak suara dalam keadaan tersegel" in page.locator("[data-testid=status-stages]").inner_text()
    assert "Salinan DPT" not in page.content() and "form-a.pdf" not in page.content()
    ptps = page.locator("[data-testid=status-ptps]")
    assert "•" in ptps.inner_text() and ptps.locator("a[href^='tel:']").count() == 0
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "voting-day-polsek.png"), full_page=True)

    page.goto(f"{site.url}/pemilihan/pemilu-2024/situasi/")
    page.wait_for_selector("#situation-map[data-layer=laporan]")
    assert page.locator("[data-testid=count-incidents]").inner_text() == "3"  # Ped's two, Jungutbatu's
    assert page.problems == []

"""In a real browser: the situation room draws the map, switches layer and shows coloured TPS pins,
with no script error and no Content-Security-Policy violation."""

import pytest

from tests import personas
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_map import sign_in

pytestmark = pytest.mark.browser


def test_polres_switches_the_situation_map_to_police_classes(site, page):
    sign_in(page, site, personas.POLRES)
    page.goto(f"{site.url}/pemilihan/pemilu-2024/situasi/")
    page.wait_for_selector("#situation-map[data-layer=laporan]")  # the police's first layer: their area's Form A and incidents
    options = page.locator("#situation-layer option").evaluate_all("options => options.map(o => o.value)")
    assert options == ["tps", "indikator", "kelas", "pos", "logistik", "laporan"]
    assert page.locator("#situation-map").get_attribute("data-loaded") == "649"

    page.select_option("#situation-layer", "kelas")
    page.wait_for_selector("#situation-map[data-layer=kelas]")
    assert "sangat rawan" in page.locator("#situation-legend").inner_text()
    assert page.locator(".marker-cluster").count() > 0
    for _ in range(8):  # zoom into clusters until single pins show
        if page.locator(".leaflet-marker-icon.tps-pin").count():
            break
        page.locator(".marker-cluster").first.click()
        page.wait_for_timeout(400)
    pin = page.locator(".leaflet-marker-icon.tps-pin").first
    assert any(f"tps-{level}" in pin.get_attribute("class") for level in ("kurang_rawan", "rawan", "sangat_rawan", "khusus"))
    assert page.locator("[data-testid=situation-live]").get_attribute("hx-trigger") == "every 30s"
    assert page.locator("[data-testid=count-classes]").inner_text().isdigit()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "situation-polres.png"))
    assert page.problems == []  # no script error and no Content-Security-Policy violation

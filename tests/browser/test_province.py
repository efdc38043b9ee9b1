"""In a real browser: Bawaslu Provinsi Bali opens the situation room (the roll-up per district),
clicks a district (its room, with the per-kecamatan card loaded by htmx), then a kecamatan (its
room), and climbs back by the breadcrumb; no script error, no refused request."""

import pytest

from sinergi.elections.models import Election
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_map import sign_in
from tests.situation import province

pytestmark = pytest.mark.browser


def test_a_province_user_drills_down_from_the_province_to_a_district_to_a_kecamatan(site, page):
    province.build(Election.objects.get(slug="pemilu-2024"))
    sign_in(page, site, province.BAWASLU_BALI)
    page.goto(f"{site.url}/pemilihan/pemilu-2024/situasi/")
    rows = page.locator("[data-testid=rollup-stations] tbody tr")
    assert rows.evaluate_all("rows => rows.map(r => r.dataset.code)") == ["51.05", province.REKAAN]
    assert page.locator("[data-testid=rollup-stations] tfoot [data-col=stations]").inner_text() == "654"
    assert page.locator("#situation-map").count() == 0

    page.click(f"[data-testid=rollup-stations] [data-testid='drill-{province.REKAAN}']")
    page.wait_for_selector("#situation-map")
    assert "Rekaan Barat" in page.locator("h1").inner_text()
    card = page.locator("#situation-rollup[data-testid=situation-rollup]")
    card.locator(f"[data-testid='drill-{province.PANTAI}']").first.wait_for()
    assert card.locator("[data-testid=rollup-stations] tbody tr").evaluate_all("rows => rows.map(r => r.dataset.code)") == [province.PANTAI, province.BUKIT]
    assert page.locator("[data-testid=count-stations]").inner_text() == "5"

    card.locator(f"[data-testid=rollup-stations] [data-testid='drill-{province.PANTAI}']").click()
    page.wait_for_url(f"**wilayah={province.PANTAI}")
    page.wait_for_selector("#situation-map")
    assert page.locator("[data-testid=count-stations]").inner_text() == "3"
    assert page.locator("#situation-rollup").count() == 0  # a kecamatan has no roll-up below it
    crumbs = page.locator("[data-testid=situation-crumbs] a")
    assert crumbs.all_inner_texts() == ["Bali", "Rekaan Barat"]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "situation-province-kecamatan.png"))

    crumbs.first.click()
    page.wait_for_selector("[data-testid=rollup-stations]")
    assert page.problems == []  # no script error, no refused request, no CSP violation

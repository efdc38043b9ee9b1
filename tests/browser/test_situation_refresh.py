"""In a real browser: the situation room's map refreshes without closing an open popup (the pins
are updated in place), asks with the layer's ETag (an unchanged layer costs a 304), and colours
its clusters by the most urgent pin inside, as the legend says."""

import uuid

import pytest

from sinergi.elections.models import Election
from sinergi.situation.queries import clock
from sinergi.stations.models import Station
from sinergi.supervisors.reports import submit_incident
from tests import personas
from tests.browser.test_map import sign_in

pytestmark = pytest.mark.browser
LAYER = "/situasi/lapisan/laporan.geojson"


def zoom_to_a_pin(page):
    for _ in range(10):  # zoom into clusters until single pins show
        if page.locator(".leaflet-marker-icon.tps-pin").count():
            return page.locator(".leaflet-marker-icon.tps-pin").first
        page.locator(".marker-cluster").first.click()
        page.wait_for_timeout(400)
    raise AssertionError("no single TPS pin after zooming in")


def refresh(page):
    """Let the map's 30-second refresh run once and wait until its answer is on the map."""
    done = int(page.locator("#situation-map").get_attribute("data-refreshes") or 0)
    with page.expect_response(lambda response: LAYER in response.url):
        page.clock.fast_forward(31_000)
    page.wait_for_selector(f"#situation-map[data-refreshes='{done + 1}']")


def test_an_open_popup_survives_the_refresh_and_shows_the_news(site, page):
    page.clock.install()  # the 30-second refresh is run on demand below; time otherwise flows
    sign_in(page, site, personas.BAWASLU)
    statuses = []
    page.on("response", lambda response: LAYER in response.url and statuses.append(response.status))
    page.goto(f"{site.url}/pemilihan/pemilu-2024/situasi/")
    page.wait_for_selector("#situation-map[data-layer=laporan]")
    zoom_to_a_pin(page).click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    label = popup.locator("strong").inner_text()
    before = popup.inner_text()

    # An incident at that TPS, at the moment the room shows (the demo election is long over).
    election = Election.objects.get(slug="pemilu-2024")
    number, village = label.removeprefix("TPS ").split(" ", 1)
    station = Station.objects.get(election=election, number=int(number), village__name=village)
    submit_incident(
        actor=None, station=station, client_id=uuid.uuid4(), category="intimidasi", severity="tinggi", occurred_at=clock(election), description="Uji peramban"
    )

    refresh(page)
    assert popup.is_visible(), "the refresh closed the open popup"
    assert popup.inner_text() != before and "kejadian" in popup.inner_text()
    assert label in popup.inner_text()

    # Nothing changed since: the next ask is answered 304 and the popup is still there.
    refresh(page)
    assert statuses[-2:] == [200, 304] and popup.is_visible()
    assert page.problems == []


def test_clusters_take_the_colour_of_their_most_urgent_pin(site, page):
    sign_in(page, site, personas.POLRES)
    page.goto(f"{site.url}/pemilihan/pemilu-2024/situasi/")
    page.wait_for_selector("#situation-map[data-layer=laporan]")
    page.select_option("#situation-layer", "kelas")
    page.wait_for_selector("#situation-map[data-layer=kelas]")
    clusters = page.locator(".marker-cluster")
    assert clusters.count() > 0
    # No colour by size any more: every cluster carries a pin colour of the layer.
    assert page.locator(".marker-cluster-small, .marker-cluster-medium, .marker-cluster-large").count() == 0
    colours = clusters.evaluate_all("cs => cs.map(c => c.querySelector('.tps-pin').className)")
    assert all(any(f"tps-{level}" in c for level in ("kurang_rawan", "rawan", "sangat_rawan", "khusus")) for c in colours), colours
    # The demo's four sangat rawan TPS (Nusa Penida) colour their clusters red, whatever their size.
    assert any("tps-sangat_rawan" in c for c in colours)
    total = sum(int(n) for n in clusters.evaluate_all("cs => cs.map(c => c.innerText)"))
    assert total + page.locator(".leaflet-marker-icon.tps-pin").count() == 649
    assert page.problems == []


def test_the_tps_map_colours_its_clusters_by_the_chosen_layer(site, page):
    sign_in(page, site, personas.POLRES)
    page.goto(f"{site.url}/pemilihan/pemilu-2024/peta/")
    page.wait_for_selector("#map[data-loaded]")
    plain = page.locator(".marker-cluster .tps-pin").evaluate_all("cs => cs.map(c => c.className)")
    assert plain and all(c == "tps-pin" for c in plain)  # no layer: one neutral colour, not one per size
    page.select_option("#map-layer", "level")
    page.wait_for_selector("#map[data-layer=level]")
    colours = page.locator(".marker-cluster .tps-pin").evaluate_all("cs => cs.map(c => c.className)")
    assert any("tps-sangat_rawan" in c for c in colours) and all(c != "tps-pin" for c in colours)
    assert page.locator(".marker-cluster-small, .marker-cluster-medium, .marker-cluster-large").count() == 0
    assert page.problems == []

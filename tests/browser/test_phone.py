"""On a 360 × 740 phone: the public report page and the desk pages fit the screen (no sideways
scrolling), the header leaves room for the page, the submit button can be pressed, and the
logistics status page stays short (collapsed per kecamatan)."""

import re

import pytest

from sinergi.cases import demo as cases_demo
from sinergi.cases.models import Case
from sinergi.elections.models import Election
from tests import personas
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_map import sign_in

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 360, 740


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="id-ID", is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def overflow(page) -> int:
    """How far the page is wider than the screen, in CSS pixels (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth") - WIDTH


def not_covered(page, selector) -> bool:
    """The element under the centre of `selector` is the element itself (or inside it)."""
    page.locator(selector).scroll_into_view_if_needed()
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            const box = el.getBoundingClientRect();
            const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return hit !== null && (hit === el || el.contains(hit));
        }""",
        selector,
    )


def test_the_public_report_form_fits_a_phone_and_marks_its_required_fields(site, phone):
    phone.goto(f"{site.url}/lapor/pemilu-2024/")
    assert overflow(phone) <= 0, f"the form is {overflow(phone)} px wider than the screen"
    assert not_covered(phone, "[data-testid=submit-report]"), "something covers the submit button"
    SCREENSHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "phone-lapor.png"), full_page=True)
    # Every required field carries `required` and a visible mark next to its label; optional ones neither.
    for name in ("source", "reporter_name", "reporter_address", "occurred_on", "known_on", "occurred_place", "region", "description"):
        field = phone.locator(f"#id_{name}")
        assert field.get_attribute("required") is not None and field.get_attribute("aria-required") == "true", name
        label = phone.locator(f"label[for=id_{name}]")
        assert "*" in label.inner_text() and label.locator(".required-mark").is_visible(), name
    for name in ("reporter_phone", "reporter_email", "reported_party", "witness1_name"):
        assert phone.locator(f"#id_{name}").get_attribute("required") is None, name
        assert "*" not in phone.locator(f"label[for=id_{name}]").inner_text(), name
    assert "wajib diisi" in phone.locator("[data-testid=required-legend]").inner_text()
    assert phone.problems == []


def test_the_desk_pages_fit_a_phone(site, phone):
    election = Election.objects.get(slug="pemilu-2024")
    cases_demo.seed(election)
    case = Case.objects.get(tracking_code="LP-DEMX-PED7")
    sign_in(phone, site, personas.BAWASLU)

    # The header is compact: the navigation is behind a button, and opens when it is pressed.
    header = phone.locator("header.topbar").bounding_box()["height"]
    assert header <= 0.2 * HEIGHT, f"the header takes {header} px of {HEIGHT}"
    assert not phone.locator("nav.mainnav").is_visible()
    phone.click("[data-testid=nav-toggle]")
    assert phone.locator("nav.mainnav").is_visible() and phone.locator("[data-testid=nav-toggle]").get_attribute("aria-expanded") == "true"
    phone.click("[data-testid=nav-toggle]")
    assert not phone.locator("nav.mainnav").is_visible()

    pages = [
        "/pemilihan/pemilu-2024/",
        f"/pemilihan/pemilu-2024/perkara/{case.pk}/",
        "/pemilihan/pemilu-2024/perkara/",
        "/pemilihan/pemilu-2024/tps/",
        "/pemilihan/pemilu-2024/rapat/",
        "/pemilihan/pemilu-2024/logistik/status/",
        "/pemilihan/pemilu-2024/logistik/",
    ]
    for path in pages:
        phone.goto(site.url + path)
        assert overflow(phone) <= 0, f"{path} is {overflow(phone)} px wider than the screen"
    phone.goto(f"{site.url}/pemilihan/pemilu-2024/perkara/{case.pk}/")
    phone.screenshot(path=str(SCREENSHOTS / "phone-case.png"), full_page=True)
    assert phone.problems == []


def test_the_logistics_status_page_is_collapsed_per_kecamatan(site, phone):
    sign_in(phone, site, personas.KPU)
    phone.goto(f"{site.url}/pemilihan/pemilu-2024/logistik/status/")
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height <= 6 * HEIGHT, f"the status page is {height} px long"
    sections = phone.locator("details[data-testid^=kecamatan-]")
    assert sections.count() == 4  # Klungkung's four kecamatan, each with its TPS inside
    nusa_penida = phone.locator("details[data-testid='kecamatan-51.05.01']")
    assert "Nusa Penida" in nusa_penida.locator("summary").inner_text()
    assert not nusa_penida.locator("table").is_visible()
    nusa_penida.locator("summary").click()
    assert nusa_penida.locator("table").is_visible()
    assert re.search(r"TPS 0*17", nusa_penida.inner_text())
    assert phone.problems == []

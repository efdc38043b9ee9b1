import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import load_base_data

CHROMIUM = Path(os.environ.get("SINERGI_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="session")
def browser():
    # Fail, not skip, when Chromium is missing: a skipped browser suite would hide a broken page.
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: install Debian's chromium (scripts/ensure-chromium)"
    # Playwright's sync API keeps an event loop on this thread; Django's ORM must still be
    # usable from the test body, which is synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    """A live server holding the base data (a transactional test starts from an empty database).

    Its requests are served one at a time: on SQLite the test database lives in memory and the
    server's threads share one connection with the test, which two requests at once (a page and
    its map layers) would use together — SQLite refuses that ("bad parameter or other API misuse")."""
    load_base_data()
    httpd = live_server.thread.httpd
    app, lock = httpd.get_app(), threading.Lock()

    def one_at_a_time(environ, start_response):
        with lock:
            result = app(environ, start_response)
            try:
                return list(result)
            finally:
                if hasattr(result, "close"):
                    result.close()  # Django's request_finished: connections are tidied as usual

    httpd.set_app(one_at_a_time)
    return live_server


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="id-ID")
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("response", lambda response: response.status >= 400 and page.problems.append(f"{response.status} {response.url}"))
    yield page
    SCREENSHOTS.mkdir(exist_ok=True)
    context.close()

"""The production path end to end: gunicorn with DEBUG off serving the demo, every demo persona signs
in, opens every page of its navigation (200, every static asset the page names served), then follows
every link it is shown, one of each kind, to the end: none may answer 403, 404 or 500.

Runs against the `production_site` fixture (tests/production/conftest.py), over real HTTP."""

import http.cookiejar
import re
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from sinergi.accounts.demo import DEMO_PASSWORD
from tests.personas import DEMO_USERS

pytestmark = pytest.mark.production

# Links followed in the crawl: an address in a page (a link, an htmx fragment, a map's data source).
LINK = re.compile(r'\s(?:href|hx-get|data-url|data-[a-z]+-url)="(/[^"]*)"')
ASSET = re.compile(r'\s(?:href|src)="(/static/[^"]+)"')
DOCUMENT = re.compile(r"\.(pdf|xlsx|csv)$")
CSS_URL = re.compile(r"url\(['\"]?(?!data:)([^'\")]+)['\"]?\)")
# Not followed: signing out and switching language are forms; i18n has no page.
NOT_FOLLOWED = ("/akun/keluar/", "/i18n/")


@dataclass
class Page:
    url: str  # after redirects
    status: int
    body: str
    content_type: str


@dataclass
class Visitor:
    """One persona's browser: a cookie jar, redirects followed."""

    base: str
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str, data: dict | None = None) -> Page:
        body = urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(urljoin(self.base, path), data=body, timeout=120) as response:
                content_type = response.headers.get("Content-Type", "")
                raw = response.read()
                return Page(response.geturl(), response.status, raw.decode("utf-8", "replace") if "text" in content_type or "json" in content_type else "", content_type)
        except urllib.error.HTTPError as error:
            return Page(error.geturl(), error.code, error.read().decode("utf-8", "replace"), error.headers.get("Content-Type", ""))

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> Page:
        form = self.get("/akun/masuk/")
        assert form.status == 200, form.status
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1)
        return self.get("/akun/masuk/", {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": ""})


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def navigation(page: Page) -> list[str]:
    """The links of the header (brand, main navigation, password page) of a served page."""
    header = re.search(r'<header class="topbar"[^>]*>(.*?)</header>', page.body, re.S)
    assert header, f"{page.url}: no header"
    return [unescape(href) for href in re.findall(r'href="(/[^"]*)"', header.group(1))]


class Assets:
    """Every /static/ file a page names, fetched once per run, and what a stylesheet names in url()."""

    def __init__(self, visitor: Visitor):
        self.visitor, self.checked, self.failures = visitor, set(), []

    def check(self, page: Page) -> None:
        for asset in ASSET.findall(page.body):
            self._fetch(unescape(asset), page.url)

    def _fetch(self, asset: str, named_by: str) -> None:
        if asset in self.checked:
            return
        self.checked.add(asset)
        served = self.visitor.get(asset)
        if served.status != 200:
            self.failures.append(f"{asset} (named by {named_by}): {served.status}")
        elif asset.endswith(".css"):
            for reference in CSS_URL.findall(served.body):
                self._fetch(path_of(urljoin(urljoin(self.visitor.base, asset), reference)), asset)


def crawl_key(link: str) -> tuple:
    """A link's kind: its URL pattern, its election and the names of its query parameters (a path
    that resolves to nothing is its own kind, and answers 404)."""
    parts = urlsplit(link)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ("unresolved", parts.path)
    # Pages per election: what a page links to depends on the election's data (a past one's reports).
    # A document (PDF, spreadsheet) once whatever the election: it costs seconds to render and links nowhere.
    election = None if DOCUMENT.search(parts.path) else match.kwargs.get("slug")
    return (match.route, election, tuple(sorted({name.split("=")[0] for name in parts.query.split("&") if name})))


def visit(base: str, username: str) -> dict:
    """Sign in, open the navigation, crawl; what went wrong, as lists of text."""
    visitor = Visitor(base)
    assets = Assets(visitor)
    landing = visitor.sign_in(username)
    problems = {"navigation": [], "assets": assets.failures, "links": []}
    if landing.status != 200 or "/akun/masuk/" in landing.url:
        problems["navigation"].append(f"sign-in landed on {landing.url} with {landing.status}")
        return problems
    assets.check(landing)
    # The navigation of every election in the header's picker, the landing one first.
    overviews = [f"/pemilihan/{slug}/" for slug in re.findall(r'<option value="([^"]+)"', landing.body)]
    nav = list(dict.fromkeys(navigation(landing) + [link for overview in overviews for link in navigation(visitor.get(overview))]))
    queue, seen, kinds = [], set(), Counter()
    for link in nav:
        page = visitor.get(link)
        if page.status != 200:
            problems["navigation"].append(f"{link}: {page.status}")
            continue
        assets.check(page)
        seen.add(link)
        queue.append(page)
    # The crawl: every link of every page, one of each kind (URL pattern and query parameters).
    while queue:
        page = queue.pop(0)
        if "text/html" not in page.content_type:
            continue
        for link in {unescape(link) for link in LINK.findall(page.body)}:
            if link.startswith("/static/") or link.startswith(NOT_FOLLOWED) or link in seen:
                continue
            seen.add(link)
            key = crawl_key(link)
            if kinds[key]:
                continue
            kinds[key] += 1
            target = visitor.get(link)
            if target.status != 200:
                problems["links"].append(f"{link} (on {path_of(page.url)}): {target.status}")
                continue
            queue.append(target)
    problems["pages"] = len(seen)
    return problems


def test_every_persona_opens_every_page_it_is_shown_on_the_production_server(production_site):
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(zip(DEMO_USERS, pool.map(lambda username: visit(production_site, username), DEMO_USERS), strict=True))
    report = [f"{username} {kind}: {item}" for username, problems in results.items() for kind in ("navigation", "assets", "links") for item in problems[kind]]
    assert not report, "\n".join(report)
    # Each persona really went somewhere (a crawl of nothing would pass).
    assert all(problems["pages"] >= 5 for problems in results.values()), {u: p["pages"] for u, p in results.items()}


def test_the_error_pages_are_served_in_indonesian_with_debug_off(production_site):
    visitor = Visitor(production_site)
    missing = visitor.get("/tidak-ada/")
    assert missing.status == 404 and "Halaman tidak ditemukan" in missing.body and "Kembali ke beranda" in missing.body
    assets = Assets(visitor)
    assets.check(missing)
    assert not assets.failures and assets.checked  # the error page's stylesheet is served too
    # Under the manifest storage's hashed names, which WhiteNoise serves (and lets browsers cache).
    assert any(re.fullmatch(r"/static/sinergi/sinergi\.[0-9a-f]{12}\.css", asset) for asset in assets.checked), assets.checked
    visitor.sign_in("panwascam-nusapenida")
    refused = visitor.get("/audit/")  # Bawaslu administrators only
    assert refused.status == 403 and "Akses ditolak" in refused.body


def test_the_operators_admin_is_served_with_its_stylesheets_to_a_superuser_only(production, production_site):
    """The demo has no superuser: one is made as docs/operations.md says (`sinergi createsuperuser`),
    signs in on Sinergi's page and opens the admin's pages, every asset they name served (the admin's
    CSS under the manifest's hashed names). A demo account is refused."""
    password = "operator-smoke-4471"
    production.run("createsuperuser", "--no-input", "--username", "operator", "--email", "operator@example.go.id", env={"DJANGO_SUPERUSER_PASSWORD": password})
    visitor = Visitor(production_site)
    landing = visitor.sign_in("operator", password)
    assert landing.status == 200 and "/akun/masuk/" not in landing.url, (landing.url, landing.status)
    assert 'href="/admin/"' in landing.body  # the header's link, for a superuser
    assets = Assets(visitor)
    index = visitor.get("/admin/")
    assert index.status == 200 and "Administrasi Sinergi" in index.body, index.status
    agencies = visitor.get("/admin/accounts/agency/")
    assert agencies.status == 200 and "Bawaslu Kabupaten Klungkung" in agencies.body
    change = visitor.get(re.search(r'href="(/admin/accounts/agency/\d+/change/)', agencies.body).group(1))
    assert change.status == 200 and 'name="_save"' in change.body
    for page in (index, agencies, change, visitor.get("/admin/audit/auditevent/")):
        assets.check(page)
    assert not assets.failures, assets.failures
    assert any(re.fullmatch(r"/static/admin/css/base\.[0-9a-f]{12}\.css", asset) for asset in assets.checked), assets.checked
    assert any(asset.startswith("/static/admin/img/") for asset in assets.checked), assets.checked  # named by the CSS's url()
    demo = Visitor(production_site)
    demo.sign_in("bawaslu")
    assert demo.get("/admin/").status == 403


def test_a_replan_asked_on_the_server_waits_for_the_task_worker_and_is_done_after_it(production, production_site):
    """Background work in production: the request queues the task in the database (django-tasks-db)
    and answers at once; `sinergi db_worker`, the second process of docs/operations.md, runs it
    (here with --batch: until the queue is empty, then it exits)."""
    visitor = Visitor(production_site)
    visitor.sign_in("kpu")
    page = visitor.get("/pemilihan/pemilu-2024/logistik/distribusi/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    queued = visitor.get(page.url, {"csrfmiddlewaretoken": token, "replan": "1", "reason": "uji produksi", "confirm": "1"})
    assert queued.status == 200 and re.search(r"/pemilihan/pemilu-2024/pekerjaan/\d+/$", queued.url), (queued.status, queued.url)
    assert 'data-status="antre"' in queued.body and 'hx-trigger="every 2s"' in queued.body
    production.run("db_worker", "--batch", "--no-startup-delay", timeout=300)
    done = visitor.get(path_of(queued.url))
    assert 'data-status="selesai"' in done.body and "uji produksi" in visitor.get("/pemilihan/pemilu-2024/logistik/distribusi/").body

"""Query-count baseline: every page of every demo persona's navigation, in both elections, and the htmx
fragments those pages reload by themselves (the situation room's live part), against the
counts checked in to `query_baseline.json` (per database vendor: SQLite and PostgreSQL count
differently, savepoints for one). A page that needs more queries than its baseline fails; so does a
page with no baseline yet, or a baseline for a page no longer shown. After a deliberate change:

    SINERGI_UPDATE_QUERY_BASELINE=1 .venv/bin/pytest tests/production/test_query_counts.py          # SQLite
    SINERGI_UPDATE_QUERY_BASELINE=1 DATABASE_URL=postgres://... .venv/bin/pytest tests/production/test_query_counts.py

and commit the file. Each page is opened once before it is counted, so that per-process caches (TPS,
checklists, tokens) and the order of the tests change nothing: the figure is a steady page's.
"""

import json
import os
import re
from datetime import datetime
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.elections.models import Election
from tests.personas import DEMO_USERS

BASELINE = Path(__file__).with_name("query_baseline.json")
UPDATE = os.environ.get("SINERGI_UPDATE_QUERY_BASELINE") == "1"
# A fixed moment (both demo elections are over), so that no page's work depends on the day the suite runs.
HTMX_GET = re.compile(r'hx-get="([^"]+)"')
MOMENT = datetime(2025, 6, 2, 10, 0, tzinfo=ZoneInfo("Asia/Makassar"))


def header_links(html: str) -> list[str]:
    header = re.search(r'<header class="topbar"[^>]*>(.*?)</header>', html, re.S)
    assert header
    return [unescape(href) for href in re.findall(r'href="(/[^"]*)"', header.group(1))]


def measure(client_of) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for username in DEMO_USERS:
        client = client_of(username)
        links = []
        for slug in Election.objects.order_by("slug").values_list("slug", flat=True):
            overview = client.get(f"/pemilihan/{slug}/")
            assert overview.status_code == 200, (username, slug)
            links += header_links(overview.text)
        counts[username] = {}
        fragments = []
        for link in dict.fromkeys(links):
            response, counts[username][link] = count(client, link)
            fragments += [unescape(url) for url in HTMX_GET.findall(response.content.decode()) if url.startswith("/")]
        # The fragments these pages reload by themselves (the situation room's every 30 s), as htmx asks.
        for link in dict.fromkeys(fragments):
            counts[username][f"{link} (htmx)"] = count(client, link, headers={"HX-Request": "true"})[1]
    return counts


def count(client, link: str, headers: dict | None = None):
    """The response to `link` and its queries, the page having been opened once before."""
    client.get(link, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(link, headers=headers)
    assert response.status_code in (200, 302), (link, response.status_code)
    return response, len(queries)


@pytest.mark.production
@pytest.mark.django_db
def test_no_page_of_the_navigation_needs_more_queries_than_its_baseline(client_of, on):
    on(MOMENT)
    measured = measure(client_of)
    stored = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    if UPDATE:
        stored[connection.vendor] = measured
        BASELINE.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")
        return
    baseline = stored.get(connection.vendor, {})
    problems = []
    for username, pages in measured.items():
        known = baseline.get(username, {})
        for link, count in pages.items():
            if link not in known:
                problems.append(f"{username} {link}: {count} queries, no baseline yet")
            elif count > known[link]:
                problems.append(f"{username} {link}: {count} queries, baseline {known[link]}")
        problems += [f"{username} {link}: in the baseline, no longer in the navigation" for link in known.keys() - pages.keys()]
    problems += [f"{username}: in the baseline, not a demo persona any more" for username in baseline.keys() - measured.keys()]
    how = "SINERGI_UPDATE_QUERY_BASELINE=1 .venv/bin/pytest tests/production/test_query_counts.py (with this run's DATABASE_URL)"
    assert not problems, f"Query counts against {BASELINE.name} ({connection.vendor}):\n" + "\n".join(problems) + f"\nIf intended, regenerate: {how}"

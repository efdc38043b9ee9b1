"""The public report form and tracking-code look-ups are throttled per client address (429 with an
Indonesian page); behind the TLS proxy the address is the one the proxy appended to
X-Forwarded-For, otherwise that header is ignored."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from sinergi.core.ratelimits import client_address


@pytest.fixture(autouse=True)
def fresh_counters(db):
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


@pytest.mark.django_db
def test_tracking_lookups_are_refused_with_429_in_indonesian_after_the_limit(settings):
    settings.RATE_LIMIT_TRACKING = "3/m"
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(3):
        assert client.get(reverse("cases:public_status", args=[f"LP-AAAAAAA{n + 2}"])).status_code == 404
    refused = client.get(reverse("cases:public_track"), {"code": "LP-AAAAAAAA"})
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    # Another address is not held back by the first one's requests.
    assert Client(REMOTE_ADDR="203.0.113.8").get(reverse("cases:public_status", args=["LP-AAAAAAAA"])).status_code == 404


@pytest.mark.django_db
def test_the_public_report_form_is_throttled_on_post_only(pemilu, settings):
    settings.RATE_LIMIT_PUBLIC_REPORTS = "2/h"
    client = Client(REMOTE_ADDR="198.51.100.4")
    url = reverse("cases:public_report", args=[pemilu.slug])
    assert [client.post(url, {}).status_code for _ in range(2)] == [200, 200]  # invalid, shown again with errors
    assert client.post(url, {}).status_code == 429
    assert client.get(url).status_code == 200  # reading the form stays open


def test_forwarded_for_is_trusted_only_behind_the_proxy(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    settings.BEHIND_TLS_PROXY = False
    assert client_address(request) == "10.0.0.2"
    settings.BEHIND_TLS_PROXY = True
    # The proxy appends the address it saw; what comes before it is the client's own claim.
    assert client_address(request) == "198.51.100.9"
    assert client_address(rf.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"

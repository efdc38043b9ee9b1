"""Throttling of the public pages (the report form, tracking-code look-ups) per client address.

django-ratelimit counts requests in the `ratelimit` cache, a database cache (`AtomicDatabaseCache`)
so that every gunicorn worker shares one count; a count kept in each process's memory would let
each worker grant the whole allowance again. docs/operations.md.
"""

from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit


def client_address(request) -> str:
    """The address a request came from. Behind the TLS proxy (BEHIND_TLS_PROXY) it is the last
    entry of X-Forwarded-For, the one the proxy appended; the entries before it are whatever the
    client sent and cannot be trusted. Without the proxy the header is ignored: anyone can send it."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def _rate(setting: str):
    # Read at each request, so that a changed setting (and a test) takes effect without a restart.
    return lambda group, request: getattr(settings, setting)


def throttled(group: str, setting: str, method=ratelimit.ALL):
    """Refuse more than the rate in `setting` (e.g. "20/h") per client address for `group`."""
    return ratelimit(group=group, key="ip", rate=_rate(setting), method=method, block=True)


def too_many_requests(request, exception):
    """RATELIMIT_VIEW: the 429 page (django_ratelimit's middleware calls it)."""
    response = render(request, "rate_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


class AtomicDatabaseCache(DatabaseCache):
    """Django's database cache with an atomic `incr`: the base class reads then writes, so two
    requests at the same moment would both count as one. Here the count's row is locked (SELECT ...
    FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transaction locks the database) for the read and
    the write."""

    def incr(self, key, delta=1, version=None):
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        with transaction.atomic(using=alias):
            if connection.features.has_select_for_update:
                table = connection.ops.quote_name(self._table)
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE", [self.make_and_validate_key(key, version=version)])
            return super().incr(key, delta, version)

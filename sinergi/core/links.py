"""Full addresses (https://host/path) for what leaves the browser: printed documents and QR codes."""

from django.conf import settings


def absolute_url(request, path: str) -> str:
    """`path` on the site's public address: `SITE_URL` when set (a server behind a proxy sees its
    own host name, not the one people type), else the host of the request."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)

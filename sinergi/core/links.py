"""Full addresses (https://host/path) for what leaves the browser: printed documents, QR codes,
activation links sent to invited users."""

from django.conf import settings


def absolute_url(request, path: str) -> str:
    """`path` on the site's public address: `SITE_URL` when set (a server behind a proxy sees its
    own host name, not the one people type), else the host of the request. Without a request (the
    command line), `SITE_URL` must be set: ValueError otherwise."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    if request is None:
        raise ValueError("SITE_URL is not set and there is no request to take the host name from")
    return request.build_absolute_uri(path)

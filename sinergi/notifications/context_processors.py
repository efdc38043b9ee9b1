"""The page header's notification count and late-worker banner (templates/base.html): one query,
made only when a template reads `notice` (a page without a header makes none)."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from sinergi.notifications.queries import header_for


def header(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notice": SimpleLazyObject(lambda: header_for(user)), "push_key": settings.WEBPUSH_VAPID_PUBLIC_KEY}

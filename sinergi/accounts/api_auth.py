"""API authentication, in one place: `Authorization: Bearer <token>`, or the browser session.

What a refusal means, so that a client can tell "sign in again" from "forbidden" (docs/api.md):
- a request carrying an `Authorization` header is judged by that header alone: an unknown or
  revoked token gets 401, whatever session cookie comes with it;
- a session request whose session is gone (expired, signed out, flushed) gets 401 — the CSRF
  check is not even made, since there is nobody to protect;
- a live session with a missing or stale CSRF token gets 403 with `code: "csrf_failed"`
  (`CsrfFailed`, answered by sinergi/api.py): reload the page, or sign in again, and resend.
Anything else refused later (an agency or role that may not, a TPS not the caller's) is a plain 403.
"""

from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from sinergi.accounts.queries import cached_token, token_by_secret
from sinergi.accounts.services import mark_token_used


class CsrfFailed(Exception):
    """A signed-in session sent no valid CSRF token (API answer: 403, `code: "csrf_failed"`)."""

    code = "csrf_failed"
    message = _("Token keamanan halaman ini sudah tidak berlaku: muat ulang halaman (atau masuk lagi), lalu kirim ulang.")


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        found = token_by_secret(token)
        if found is None:
            return None
        mark_token_used(found)
        request.user = found.user
        return found.user


class SessionAuth(NinjaSessionAuth):
    """The browser session: only for requests without an `Authorization` header, and the CSRF
    token checked only once the session is known to be alive (ninja checks it first, so an expired
    session answered 403 "CSRF check Failed" instead of 401). Named as ninja's: the OpenAPI scheme
    keeps its name."""

    def __call__(self, request):
        if "Authorization" in request.headers or not request.user.is_authenticated:
            return None  # → 401
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise CsrfFailed
        return request.user


SESSION = SessionAuth()
API_AUTH = [BearerToken(), SESSION]


class IntakeBearerToken(BearerToken):
    """Voting day's report intake (POST /api/v1/reports): a token this process read less than a
    minute ago is not read again here. The report's INSERT checks, in the same statement, that it
    still exists and its user is active, and any other outcome checks it on its own
    (`request.unchecked_token`, supervisors/reports.py): one round trip a report instead of two."""

    def authenticate(self, request, token):
        found = cached_token(token)
        if found is None:
            return super().authenticate(request, token)
        mark_token_used(found)
        request.user = found.user
        request.unchecked_token = found
        return found.user


INTAKE_AUTH = [IntakeBearerToken(), SESSION]

"""API authentication: `Authorization: Bearer <token>`, or the browser session."""

from ninja.security import HttpBearer, django_auth

from sinergi.accounts.queries import cached_token, token_by_secret
from sinergi.accounts.services import mark_token_used


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        found = token_by_secret(token)
        if found is None:
            return None
        mark_token_used(found)
        request.user = found.user
        return found.user


API_AUTH = [BearerToken(), django_auth]


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


INTAKE_AUTH = [IntakeBearerToken(), django_auth]

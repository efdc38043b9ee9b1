"""API authentication: `Authorization: Bearer <token>`, or the browser session."""

from ninja.security import HttpBearer, django_auth

from sinergi.accounts.queries import token_by_secret
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

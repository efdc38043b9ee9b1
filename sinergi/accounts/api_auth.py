"""API authentication: `Authorization: Bearer <token>`, or the browser session."""

from ninja.security import HttpBearer, django_auth

from sinergi.accounts.queries import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [BearerToken(), django_auth]

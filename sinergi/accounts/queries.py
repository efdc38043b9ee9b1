"""Reads about users and tokens."""

from sinergi.accounts.models import ApiToken
from sinergi.accounts.services import token_digest


def token_by_secret(raw: str) -> ApiToken | None:
    """The token whose secret is `raw`, with its user and agency, if its user is active."""
    token = ApiToken.objects.select_related("user__agency").filter(digest=token_digest(raw)).first()
    return token if token is not None and token.user.is_active else None

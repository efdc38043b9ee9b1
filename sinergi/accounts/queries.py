"""Reads about users and tokens."""

import threading
import time

from sinergi.accounts.models import ApiToken, User
from sinergi.accounts.services import token_digest
from sinergi.core.db import first_row

# Every API call reads its token. A server process keeps a token with its user and agency for
# TOKEN_SECONDS (at most TOKEN_CACHE_SIZE tokens), yet asks the database on every call whether
# the token still exists and its user is still active — one small query — so a revoked token or
# a deactivated user is refused at once. A change of the user's role, agency or area reaches the
# process within TOKEN_SECONDS. The cached objects are shared by the process's threads: read only.
TOKEN_SECONDS = 60
TOKEN_CACHE_SIZE = 10_000
_tokens: dict[str, tuple[float, ApiToken]] = {}
_lock = threading.Lock()


# Whether token %s still exists and its user is active; also a condition of the report INSERT
# (supervisors/inserts.py), which checks a cached token in the same statement as the write.
TOKEN_VALID_SQL = f"SELECT 1 FROM {ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id WHERE t.id = %s AND u.is_active"


class TokenInvalid(Exception):
    """A cached token turned out revoked, or its user deactivated (the API answers 401)."""


def still_valid(token: ApiToken) -> bool:
    """Ask the database; a token found invalid leaves this process's cache."""
    valid = first_row(TOKEN_VALID_SQL, [token.pk]) is not None
    if not valid:
        _tokens.pop(token.digest, None)
    return valid


def check_token(token: ApiToken | None) -> None:
    """TokenInvalid unless `token` (an API token not yet checked in this request) is still valid."""
    if token is not None and not still_valid(token):
        raise TokenInvalid


def cached_token(raw: str) -> ApiToken | None:
    """The token whose secret is `raw` if this process read it less than TOKEN_SECONDS ago, NOT
    checked again: for a caller that checks it in its own statement (report intake)."""
    cached = _tokens.get(token_digest(raw))
    return cached[1] if cached is not None and time.monotonic() - cached[0] <= TOKEN_SECONDS else None


def token_by_secret(raw: str) -> ApiToken | None:
    """The token whose secret is `raw`, with its user and agency, if its user is active."""
    digest = token_digest(raw)
    now = time.monotonic()
    cached = _tokens.get(digest)
    if cached is not None and now - cached[0] <= TOKEN_SECONDS:
        return cached[1] if still_valid(cached[1]) else None
    token = ApiToken.objects.select_related("user__agency").filter(digest=digest).first()
    if token is None or not token.user.is_active:
        return None
    with _lock:
        if len(_tokens) >= TOKEN_CACHE_SIZE:
            _tokens.clear()
        _tokens[digest] = (now, token)
    return token


def forget_tokens() -> None:
    _tokens.clear()

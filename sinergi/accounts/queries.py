"""Reads about users and tokens."""

import threading
import time
from datetime import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.hierarchy import kinds_managed_by
from sinergi.accounts.models import ActivationLink, Agency, ApiToken, User
from sinergi.accounts.permissions import Perm, require
from sinergi.accounts.services import token_digest
from sinergi.core.db import first_row
from sinergi.regions.queries import within

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


# An account as its administrators see it on the users page (docs/accounts.md).
ACCOUNT_STATUSES = {
    "active": _("Aktif"),
    "invited": _("Diundang, tautan belum dipakai"),
    "expired": _("Diundang, tautan kedaluwarsa"),
    "no_password": _("Belum punya kata sandi"),
    "deactivated": _("Nonaktif"),
}


def account_status(user: User, now: datetime) -> str:
    """A key of ACCOUNT_STATUSES for `user` as read by `users_managed_by` (with `pending_until`,
    the expiry of their newest link still unused and not replaced)."""
    if not user.is_active:
        return "deactivated"
    if user.has_usable_password():
        return "active"
    if user.pending_until is None:
        return "no_password"
    return "expired" if user.pending_until <= now else "invited"


def agencies_managed_by(user: User) -> QuerySet[Agency]:
    """The agencies whose users `user` invites and deactivates: their own kind and those below it
    (accounts/hierarchy.py, the same rule as `hierarchy.manages`), sitting within their area."""
    require(user, Perm.MANAGE_USERS)
    agencies = Agency.objects.select_related("region").order_by("region_id", "kind", "name")
    if user.is_superuser:
        return agencies
    return agencies.filter(kind__in=kinds_managed_by(user.agency.kind)).filter(within("region__code", user.area_code))


def users_managed_by(user: User, *, agency: str = "", search: str = "") -> QuerySet[User]:
    """The accounts of the agencies `user` manages (superusers left out: the command line's), with
    their agency and area, `pending_until` (see `account_status`) and `totp_confirmed`; narrowed to the agency with
    slug `agency` and to usernames or names containing `search` when given."""
    newest_pending = ActivationLink.objects.filter(user=OuterRef("pk"), used_at__isnull=True, revoked_at__isnull=True).order_by("-created_at", "-pk")
    users = (
        User.objects.filter(agency__in=agencies_managed_by(user), is_superuser=False)
        .select_related("agency", "area")
        .annotate(pending_until=Subquery(newest_pending.values("expires_at")[:1]))
        # True: a confirmed TOTP device; False: enrolment pending; None: no device (accounts/totp.py).
        .annotate(totp_confirmed=Subquery(TOTPDevice.objects.filter(user=OuterRef("pk")).order_by("-confirmed").values("confirmed")[:1]))
        .order_by("agency__region_id", "agency__kind", "agency__name", "username")
    )
    if agency:
        users = users.filter(agency__slug=agency)
    if search:
        users = users.filter(Q(username__icontains=search) | Q(first_name__icontains=search))
    return users


def managed_user(user: User, pk: int) -> User:
    """The account `pk` if `user` manages it; 404 otherwise (another area's account is not there)."""
    found = users_managed_by(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def activation_link_for(raw: str) -> ActivationLink | None:
    """The activation link whose secret is `raw`, with its user, whatever its state (`invitations.link_state`)."""
    from sinergi.accounts.invitations import link_digest

    return ActivationLink.objects.select_related("user__agency").filter(digest=link_digest(raw)).first()

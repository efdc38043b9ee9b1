"""Reads about users and tokens."""

from django.utils import timezone

from sinergi.accounts.models import ApiToken, User
from sinergi.accounts.services import token_digest


def user_for_token(raw: str) -> User | None:
    """The active user owning `raw`, or None. Marks the token used (at most once a minute)."""
    token = ApiToken.objects.select_related("user__agency").filter(digest=token_digest(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        # Bookkeeping, not a change of state anyone acts on: not audited.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

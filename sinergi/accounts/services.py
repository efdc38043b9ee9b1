"""Writes to agencies, users and API tokens."""

import hashlib
import secrets

from django.db import transaction

from sinergi.accounts.models import Agency, ApiToken, User
from sinergi.audit.services import Change, diff, record

TOKEN_PREFIX = "sng_"


def token_digest(raw: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


def ensure_agency(*, actor: User | None, slug: str, kind: str, name: str, region_code: str) -> Agency:
    """Create or update the agency `slug`; audited only when something changed."""
    with transaction.atomic():
        agency = Agency.objects.filter(slug=slug).first()
        wanted = {"kind": kind, "name": name, "region": region_code}
        before = {"kind": agency.kind, "name": agency.name, "region": agency.region_id} if agency else {}
        if agency is None:
            agency = Agency.objects.create(slug=slug, kind=kind, name=name, region_id=region_code)
        elif before != wanted:
            agency.kind, agency.name, agency.region_id = kind, name, region_code
            agency.save()
        else:
            return agency
        record(actor=actor, changes=[Change("agency.save", "accounts.agency", agency.pk, name, changes=diff(before, wanted))])
    return agency


def ensure_user(
    *,
    actor: User | None,
    username: str,
    agency: Agency,
    role: str,
    full_name: str,
    password: str,
    area_code: str | None = None,
) -> User:
    """Create the user if missing (with `password`), else bring agency/role/name/area in line.

    An existing user's password is left alone: re-running the demo must not undo a change.
    """
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        wanted = {"agency": agency.pk, "role": role, "full_name": full_name, "area": area_code}
        if user is None:
            user = User(username=username, agency=agency, role=role, first_name=full_name, area_id=area_code)
            user.set_password(password)
            user.save()
            before = {}
        else:
            before = {"agency": user.agency_id, "role": user.role, "full_name": user.first_name, "area": user.area_id}
            if before == wanted:
                return user
            user.agency, user.role, user.first_name, user.area_id = agency, role, full_name, area_code
            user.save()
        record(actor=actor, changes=[Change("user.save", "accounts.user", user.pk, username, changes=diff(before, wanted))])
    return user


def change_password(*, user: User, new_password: str) -> None:
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        record(actor=user, changes=[Change("user.password_change", "accounts.user", user.pk, user.username)])


def create_token(*, actor: User | None, user: User, name: str = "") -> str:
    """Create an API token for `user` and return it; only its digest is kept."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, digest=token_digest(raw), prefix=raw[:10])
        record(
            actor=actor,
            changes=[Change("token.create", "accounts.apitoken", token.pk, f"{token.prefix}… {user.username}", changes={"name": [None, name]})],
        )
    return raw

"""Users by invitation, never by a shared password: the writes (docs/accounts.md).

An invited user has no password until they open their activation link and set one. The link
carries 256 random bits; only their SHA-256 digest is stored (`ActivationLink`). It works once
(`used_at`), for `settings.INVITATION_HOURS` (`expires_at`), and only while it is the user's
latest: a re-invitation or a deactivation revokes it (`revoked_at`). Who may invite whom is
`accounts/hierarchy.py`; the command line (`actor=None`) may invite anyone.
"""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from sinergi.accounts.hierarchy import manages
from sinergi.accounts.models import ActivationLink, Agency, ApiToken, User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, record
from sinergi.regions.codes import is_valid, is_within
from sinergi.regions.models import Region

# Builds the full address of a path (`core.links.absolute_url` with the request, or SITE_URL).
LinkBuilder = Callable[[str], str]


@dataclass(frozen=True)
class Issued:
    """An activation link just made: shown once to whoever invited, e-mailed when the user has an
    address (`emailed_to`, "" when not)."""

    user: User
    url: str
    expires_at: datetime
    emailed_to: str


# What an activation link is worth: "valid" sets a password; the others say why not.
LINK_STATES = ("valid", "unknown", "replaced", "used", "expired")


def link_state(found: ActivationLink | None, now: datetime) -> str:
    """One of LINK_STATES for the link `found` by its secret (None: no such link) at `now`. A link
    revoked by a newer invitation or a deactivation is "replaced", also when it has expired since."""
    if found is None:
        return "unknown"
    if found.used_at is not None:
        return "used"
    if found.revoked_at is not None or not found.user.is_active:
        return "replaced"
    if now >= found.expires_at:
        return "expired"
    return "valid"


class LinkUnusable(Exception):
    """The activation link cannot set a password; `reason` is one of LINK_STATES but "valid"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def link_digest(raw: str) -> str:
    # 256 random bits: a fast hash is enough, there is nothing to brute-force (as for API tokens).
    return hashlib.sha256(raw.encode()).hexdigest()


def require_manages(actor: User, agency: Agency) -> None:
    """PermissionDenied unless `actor` may manage the users of `agency` (hierarchy.py)."""
    require(actor, Perm.MANAGE_USERS)
    if actor.is_superuser:
        return
    if not manages(kind=actor.agency.kind, area=actor.area_code, agency_kind=agency.kind, agency_region=agency.region_id):
        raise PermissionDenied(f"{actor.username} does not manage the users of {agency.slug}")


def _require_manages_user(actor: User, user: User) -> None:
    if user.is_superuser or user.agency_id is None:
        raise PermissionDenied("superusers and accounts without an agency are managed from the command line")
    require_manages(actor, user.agency)
    if user.pk == actor.pk:
        raise ValidationError("Akun Anda sendiri tidak dapat diundang ulang atau dinonaktifkan di sini; ganti kata sandi Anda di menu “Kata sandi”.")


TAKEN = "Nama pengguna {username} sudah dipakai. Pilih nama lain, atau kirim undangan ulang dari daftar pengguna."


def _check_new_user(*, username: str, agency: Agency, role: str, full_name: str, email: str, area_code: str | None, existing_ok: bool) -> None:
    """Every field checked at once; the Indonesian messages name the field and the fix. An existing
    username is refused unless `existing_ok` (the command line; never a superuser's)."""
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = ["Nama pengguna wajib diisi."]
    else:
        try:
            User._meta.get_field("username").run_validators(username)
        except ValidationError:
            errors["username"] = ["Nama pengguna hanya boleh berisi huruf, angka dan . @ + - _ (tanpa spasi), paling panjang 150 karakter."]
        else:
            existing = User.objects.filter(username=username).values_list("is_superuser", flat=True).first()
            if existing is not None and (existing or not existing_ok):
                errors["username"] = [TAKEN.format(username=username)]
    if role not in User.Role.values:
        errors["role"] = [f"Peran {role!r} tidak dikenal: pilih admin, staff atau field."]
    if len(full_name) > User._meta.get_field("first_name").max_length:
        errors["full_name"] = ["Nama lengkap paling panjang 150 karakter."]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["Alamat surel tidak sah: tulis seperti nama@contoh.go.id."]
    if area_code is not None:
        if not is_valid(area_code) or not Region.objects.filter(code=area_code).exists():
            errors["area"] = [f"Wilayah {area_code} tidak ada: tulis kode Kemendagri, mis. 51.05.01."]
        elif agency.region_id is not None and not is_within(area_code, agency.region_id):
            errors["area"] = [f"Wilayah pengguna {area_code} harus berada di dalam wilayah lembaganya ({agency.region_id} {agency.region.name})."]
    if errors:
        raise ValidationError(errors)


def invite_user(
    *,
    actor: User | None,
    username: str,
    agency: Agency,
    role: str,
    link: LinkBuilder,
    full_name: str = "",
    email: str = "",
    area_code: str | None = None,
) -> Issued:
    """Create `username` without a password and issue its activation link.

    An administrator (`actor`) creates new accounts only: an existing username is refused (the users
    page re-invites). The command line (`actor=None`) also takes an existing account: it is moved to
    `agency`/`role`/`area_code` (and `email`, `full_name` when given), loses its password, and gets a
    new link, the older one no longer working.
    """
    username, full_name, email = username.strip(), full_name.strip(), User.objects.normalize_email(email.strip())
    if actor is not None:
        require_manages(actor, agency)
    _check_new_user(username=username, agency=agency, role=role, full_name=full_name, email=email, area_code=area_code, existing_ok=actor is None)
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().filter(username=username).first()
        if user is not None and (actor is not None or user.is_superuser):  # created since the check
            raise ValidationError({"username": [TAKEN.format(username=username)]})
        wanted = {"agency": agency.slug, "role": role, "area": area_code, "is_active": True}
        if user is None:
            user = User(username=username, first_name=full_name, email=email)
            before: dict = {}
            wanted |= {"full_name": full_name, "email": email}
        else:
            before = {"agency": user.agency.slug if user.agency_id else None, "role": user.role, "area": user.area_id, "is_active": user.is_active}
            if full_name:
                before["full_name"], wanted["full_name"], user.first_name = user.first_name, full_name, full_name
            if email:
                before["email"], wanted["email"], user.email = user.email, email, email
            if user.has_usable_password():
                before["password"], wanted["password"] = "ada", "dihapus"
        user.agency, user.role, user.area_id, user.is_active = agency, role, area_code, True
        # No password until the link is used; an existing one (command line) stops working now,
        # and with it every session signed in with it (Django checks a session's password hash).
        user.set_unusable_password()
        user.save()
        changes = {key: [before.get(key), value] for key, value in wanted.items() if before.get(key) != value}
        return _issue(actor=actor, user=user, link=link, action="user.invite", changes=changes)


def reinvite_user(*, actor: User | None, user: User, link: LinkBuilder) -> Issued:
    """A new activation link for `user`: the earlier one stops working, and so does the user's
    password if they had one (the user sets a new one through the link). A deactivated user is
    active again once invited (they still need the link to sign in)."""
    if actor is not None:
        _require_manages_user(actor, user)
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update(of=("self",)).select_related("agency").get(pk=user.pk)
        changes = {}
        if not user.is_active:
            changes["is_active"] = [False, True]
        if user.has_usable_password():
            changes["password"] = ["ada", "dihapus"]
        user.is_active = True
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        return _issue(actor=actor, user=user, link=link, action="user.reinvite", changes=changes)


def deactivate_user(*, actor: User | None, user: User) -> int:
    """`user` can no longer sign in nor use the API: inactive, without a password (a re-invitation
    brings them back with a new one), unused links revoked, API tokens deleted. Their open sessions
    end at their next request (the session backend refuses an inactive user, and the session's
    password hash no longer matches). Returns how many API tokens were revoked."""
    if actor is not None:
        _require_manages_user(actor, user)
    now = timezone.now()
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update(of=("self",)).select_related("agency").get(pk=user.pk)
        if not user.is_active:
            raise ValidationError(f"{user.username} sudah nonaktif.")
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        revoked = ActivationLink.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
        tokens = list(ApiToken.objects.select_for_update().filter(user=user))
        ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).delete()
        region = user.agency.region_id if user.agency_id else ""
        changes = {"is_active": [True, False], "api_tokens": [len(tokens), 0]}
        if revoked:
            changes["activation_links"] = [revoked, 0]
        record(
            actor=actor,
            changes=[
                Change("user.deactivate", "accounts.user", user.pk, user.username, changes=changes, region=region),
                *(Change("token.revoke", "accounts.apitoken", t.pk, f"{t.prefix}… {user.username}", region=region) for t in tokens),
            ],
        )
    return len(tokens)


def activate(*, raw: str, new_password: str) -> User:
    """Set the password of the user whose activation link carries `raw`, once; LinkUnusable when
    the link is unknown, replaced, used or expired (checked again under a row lock, so that two
    submissions of the same link set one password). The user is the actor of the audit event.
    A desk account gets a pending TOTP device (accounts/totp.py): it cannot be signed in before
    it confirms a first code."""
    from sinergi.accounts import totp  # totp uses require_manages from here
    now = timezone.now()
    with transaction.atomic(durable=True):
        found = ActivationLink.objects.select_for_update(of=("self",)).select_related("user__agency").filter(digest=link_digest(raw)).first()
        state = link_state(found, now)
        if state != "valid":
            raise LinkUnusable(state)
        user = found.user
        user.set_password(new_password)
        user.save(update_fields=["password"])
        found.used_at = now
        found.save(update_fields=["used_at"])
        changes = {}
        if totp.is_desk(user):
            # A desk account signs in with a TOTP code too: it enrols next, before any sign-in.
            totp.start_enrolment(user)
            changes["totp"] = [None, "menunggu pendaftaran"]
        record(actor=user, changes=[Change("user.activate", "accounts.user", user.pk, user.username, changes=changes, region=user.agency.region_id if user.agency_id else "")])
    return user


def _issue(*, actor: User | None, user: User, link: LinkBuilder, action: str, changes: dict) -> Issued:
    """Inside the caller's transaction: revoke the user's unused links, make a new one, audit, and
    e-mail it after the commit when the user has an address."""
    now = timezone.now()
    ActivationLink.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    raw = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=settings.INVITATION_HOURS)
    ActivationLink.objects.create(user=user, digest=link_digest(raw), created_at=now, expires_at=expires_at, created_by=actor)
    url = link(reverse("accounts:activate", kwargs={"token": raw}))
    changes = {**changes, "expires_at": [None, expires_at.isoformat(timespec="seconds")]}
    if user.email:
        changes["emailed_to"] = [None, user.email]
    record(actor=actor, changes=[Change(action, "accounts.user", user.pk, user.username, changes=changes, region=user.agency.region_id)])
    if user.email:
        transaction.on_commit(lambda: _send_invitation(user=user, url=url, expires_at=expires_at, invited_by=actor))
    return Issued(user=user, url=url, expires_at=expires_at, emailed_to=user.email)


def _send_invitation(*, user: User, url: str, expires_at: datetime, invited_by: User | None) -> None:
    # In Indonesian whatever language the inviter's page was in: the invited person has no
    # choice of language yet. Without EMAIL_HOST the message goes to the server's log.
    context = {"user": user, "url": url, "expires_at": timezone.localtime(expires_at), "hours": settings.INVITATION_HOURS, "invited_by": invited_by}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])

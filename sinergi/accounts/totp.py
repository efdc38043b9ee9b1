"""Two-factor sign-in with TOTP (django-otp's `TOTPDevice`): the rules and the writes (docs/accounts.md).

A desk account (admin or staff of an agency, and every superuser) may hold one TOTP device, the
six-digit codes of an authenticator app. Field accounts (PTPS on voting day) never need one.

- A *confirmed* device: the account gives a code after its password (accounts/views.py, second
  step); the session is not signed in before the code passes.
- An *unconfirmed* device: enrolment is pending (made when an invited desk account chose its
  password, or by a reset): the account scans the code and confirms it before anything else.
- No device: with `settings.TOTP_REQUIRED` the account enrols at its next sign-in; without it the
  password is enough.

Every enrolment, reset and refused code is audited (never the secret).
"""

import base64
import math
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.invitations import require_manages
from sinergi.accounts.models import User
from sinergi.audit.services import Change, record

DEVICE_NAME = "Sinergi"

# What the sign-in asks of an account after its password (`second_step`).
NONE, CODE, ENROL = "none", "code", "enrol"


def is_desk(user: User) -> bool:
    """Desk accounts are asked for TOTP; field accounts (role `field`, not superusers) never."""
    return user.is_superuser or user.role != User.Role.FIELD


def devices(user: User):
    return TOTPDevice.objects.filter(user=user)


def second_step(user: User) -> str:
    """NONE (signed in with the password), CODE (a confirmed device: its code) or ENROL (a device
    to set up first: pending from an activation or a reset, or none while TOTP_REQUIRED)."""
    if not is_desk(user):
        return NONE
    states = set(devices(user).values_list("confirmed", flat=True))
    if True in states:
        return CODE
    if False in states or settings.TOTP_REQUIRED:
        return ENROL
    return NONE


def normalize_code(code: str) -> str:
    """The code as typed ("123 456", "123-456") without spaces and dashes."""
    return "".join(ch for ch in code if ch not in " -\u00a0\t")


def pending_device(user: User) -> TOTPDevice:
    """The user's device waiting for its first code, made now when there is none (TOTP_REQUIRED).
    Its secret stays in the database only; nothing is audited before it is confirmed."""
    with transaction.atomic(durable=True):
        User.objects.select_for_update().filter(pk=user.pk).first()
        device = devices(user).filter(confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def start_enrolment(user: User) -> TOTPDevice:
    """Inside the caller's transaction: the user's devices go and a new unconfirmed one takes their
    place (an activation of a desk account, a reset)."""
    devices(user).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the otpauth:// address as a QR code, and the secret as text."""

    uri: str
    secret: str
    qr_data_uri: str


def enrolment(device: TOTPDevice) -> Enrolment:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    uri = device.config_url
    return Enrolment(uri=uri, secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)), qr_data_uri=segno.make(uri, error="m").svg_data_uri(scale=5, border=2))


class TryLater(Exception):
    """django-otp's throttle (`OTP_TOTP_THROTTLE_FACTOR`): after a wrong code the next is only
    checked after 1, 2, 4, ... seconds. Such an attempt is not checked at all, so it is neither a
    failure nor audited; `seconds` is how long to wait."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def _check_throttle(device: TOTPDevice) -> None:
    allowed, data = device.verify_is_allowed()
    if not allowed:
        until = (data or {}).get("locked_until")
        raise TryLater(max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1)


def _region_of(user: User) -> str:
    return user.agency.region_id if user.agency_id else ""


def _failed(user: User, *, step: str) -> Change:
    # No actor: the session is not signed in (as for a refused password); never the code typed.
    return Change("user.totp_failed", "accounts.user", user.pk, user.username, changes={"step": [None, step]}, region=_region_of(user), by=(None, "anonim", ""))


def check_code(*, user: User, code: str) -> TOTPDevice | None:
    """The user's confirmed device when `code` is its current code (django-otp's `verify_token`,
    which refuses a code already used and throttles repeated failures); None, audited, otherwise.
    TryLater while the device is throttled."""
    code = normalize_code(code)
    with transaction.atomic(durable=True):
        device = devices(user).filter(confirmed=True).order_by("pk").first()
        if device is not None:
            _check_throttle(device)
        verified = verify_token(user, device.persistent_id, code) if device is not None and code.isdigit() else None
        if verified is None:
            record(actor=None, changes=[_failed(user, step="sign_in")])
    return verified


def confirm_enrolment(*, user: User, code: str) -> TOTPDevice | None:
    """Confirm the user's pending device with its first `code`: from then on the account gives a
    code at every sign-in. None, audited, when the code is wrong (nothing confirmed); TryLater
    while the device is throttled."""
    code = normalize_code(code)
    with transaction.atomic(durable=True):
        device = devices(user).select_for_update().filter(confirmed=False).order_by("pk").first()
        if device is not None:
            _check_throttle(device)
        if device is None or not code.isdigit() or not device.verify_token(code):
            record(actor=None, changes=[_failed(user, step="enrol")])
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # An earlier confirmed device (none is expected) would keep working: only one is kept.
        devices(user).exclude(pk=device.pk).delete()
        record(actor=user, changes=[Change("user.totp_enrol", "accounts.user", user.pk, user.username, changes={"totp": [None, "terdaftar"]}, region=_region_of(user))])
    return device


def reset_totp(*, actor: User | None, user: User) -> None:
    """The user's authenticator no longer counts (a lost or replaced phone): the device goes and
    the user enrols a new one at their next sign-in. An administrator who manages the user (or a
    superuser) from the users page; anyone's, superusers' included, from the command line
    (`actor=None`, `sinergi reset-totp`)."""
    if actor is not None:
        if user.is_superuser or user.agency_id is None:
            raise PermissionDenied("superusers and accounts without an agency are reset from the command line")
        require_manages(actor, user.agency)
        if user.pk == actor.pk:
            raise ValidationError("TOTP akun Anda sendiri tidak dapat diatur ulang di sini: minta administrator lembaga Anda atau operator Sinergi.")
    if not is_desk(user):
        raise ValidationError(f"{user.username} adalah akun lapangan (PTPS): akun lapangan tidak memakai TOTP.")
    with transaction.atomic(durable=True):
        User.objects.select_for_update().filter(pk=user.pk).first()
        had = "terdaftar" if devices(user).filter(confirmed=True).exists() else ("menunggu pendaftaran" if devices(user).exists() else None)
        start_enrolment(user)
        record(actor=actor, changes=[Change("user.totp_reset", "accounts.user", user.pk, user.username, changes={"totp": [had, "menunggu pendaftaran"]}, region=_region_of(user))])

"""The code an authenticator app would show, computed from a device's key as the app does."""

import base64
import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for(device: TOTPDevice, ahead: int = 0) -> str:
    """The device's code now, or `ahead` steps of 30 s later (the server accepts one step of
    drift; a code of a step already used is refused, so a second sign-in in the same 30 s gives
    the next step's code)."""
    device.refresh_from_db()
    return code_from_key(device.bin_key, ahead=ahead, step=device.step, digits=device.digits)


def code_from_key(key: bytes, *, ahead: int = 0, step: int = 30, digits: int = 6) -> str:
    totp = TOTP(key, step=step, digits=digits)
    totp.time = time.time() + ahead * step
    return f"{totp.token():0{digits}d}"


def key_from_secret(secret: str) -> bytes:
    """The key of the secret shown as text on the enrolment page ("ABCD EFGH …", base32)."""
    secret = secret.replace(" ", "").upper()
    return base64.b32decode(secret + "=" * (-len(secret) % 8))

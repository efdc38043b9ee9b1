"""VAPID keys for Web Push: a P-256 key pair as browsers and pywebpush take them (base64url
without padding: the public key as its uncompressed point, the private key as its 32 raw bytes)."""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_key_pair() -> tuple[str, str]:
    """(public, private) of a new key pair."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return b64url(public), b64url(private.private_numbers().private_value.to_bytes(32, "big"))

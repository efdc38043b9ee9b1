"""Field sign-in codes as text (pure: no Django, no key, no clock).

A code is 10 symbols of a 32-symbol alphabet without the look-alikes 0/O and 1/I, printed in two
groups of five ("7KQ2M-XH9TA"): 50 bits, read aloud over a telephone or typed on a phone without
ambiguity. Where the bits come from (a keyed hash of a random nonce) is the caller's business
(supervisors/field_logins.py)."""

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 10
GROUP = 5
BITS = 5 * LENGTH  # 50


def code_from_bytes(material: bytes) -> str:
    """The code made of the first 50 bits of `material` (at least 7 bytes, e.g. an HMAC digest),
    ungrouped. The same bytes always give the same code."""
    if len(material) < 7:
        raise ValueError("need at least 7 bytes")
    number = int.from_bytes(material[:8].ljust(8, b"\0"), "big") >> (64 - BITS)
    symbols = []
    for _ in range(LENGTH):
        symbols.append(ALPHABET[number & 31])
        number >>= 5
    return "".join(reversed(symbols))


def grouped(code: str) -> str:
    """"7KQ2MXH9TA" as printed: "7KQ2M-XH9TA"."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalize(typed: str) -> str | None:
    """What a person typed or a QR code carried, as the code (ungrouped, upper case): spaces and
    hyphens ignored, lower case accepted. None when it cannot be a code (wrong length, or a symbol
    the alphabet leaves out, such as O or 1), so that no lookup is made for it."""
    compact = "".join(typed.split()).replace("-", "").upper()
    if len(compact) != LENGTH or any(symbol not in ALPHABET for symbol in compact):
        return None
    return compact

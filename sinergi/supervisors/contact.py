"""A supervisor's phone as shown: in full with a `tel:` link for those who may read personal data,
masked for the others (pure, no Django import)."""

import re


def tel_uri(phone: str) -> str:
    """`tel:+6281230000003` for "0812-3000-0003", "+62 812 3000 0003" or "62812…"; "" when the
    text holds no phone number (fewer than 6 digits)."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 6:
        return ""
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif not digits.startswith("62"):
        return f"tel:{digits}"  # a short or foreign number: dialled as written
    return f"tel:+{digits}"


def mask_phone(phone: str) -> str:
    """0812••••••03: the operator prefix and the last two digits, the rest hidden ("" stays "")."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 7:
        return "•" * len(digits)
    return digits[:4] + "•" * (len(digits) - 6) + digits[-2:]

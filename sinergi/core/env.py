"""Strict parsers for settings read from the environment.

A value that cannot be parsed stops the process with a message naming the variable: a typo in
production configuration must never silently fall back to a default.
"""

import os


class EnvError(ValueError):
    """A variable is set to a value its parser does not accept."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise EnvError(f"{name}={raw!r}: expected a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Comma-separated list; blank items are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def key_pairs(name: str, items: list[str]) -> dict[str, str]:
    """`id:key` items of a list variable (AUDIT_OLD_KEYS) as {id: key}; each id 1 to 16 characters."""
    found = {}
    for item in items:
        key_id, sep, key = item.partition(":")
        if not sep or not key_id or not key or len(key_id) > 16:
            raise EnvError(f"{name}: expected comma-separated id:key pairs (the key id at most 16 characters)")
        found[key_id] = key
    return found

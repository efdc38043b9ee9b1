"""Outbound SMS: `send_sms(to, text)` through the backend the `SMS_BACKEND` setting names.

- "console" (the default): the message is written to the process's standard output, i.e. the
  server's log, and nothing is sent — as e-mail does without SMTP (docs/operations.md).
- "http": the same SMS gateway that posts incoming messages to `/sms/masuk/` (docs/sms.md) is
  asked to send: a form POST of `to` and `text` to `SMS_GATEWAY_URL`, with the shared secret in
  the `X-Sinergi-Token` header (`SMS_GATEWAY_TOKEN`, by default the intake's `SMS_WEBHOOK_TOKEN`).
  Any answer other than 2xx, or no answer within `SMS_GATEWAY_TIMEOUT` seconds, raises `SmsError`.

Callers send from background work (supervisors/tasks.py), never inside a request.
"""

import sys
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings


class SmsError(Exception):
    """The gateway did not accept the message; the text says why, without the message."""


def international(number: str) -> str:
    """An Indonesian number as gateways want it: 0812… → +62812…; others unchanged."""
    compact = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    if compact.startswith("0"):
        return "+62" + compact[1:]
    if compact.startswith("62"):
        return "+" + compact
    return compact


def _console(to: str, text: str) -> None:
    sys.stdout.write(f"SMS ke {to}:\n{text}\n{'-' * 40}\n")
    sys.stdout.flush()


def _http(to: str, text: str) -> None:
    body = urllib.parse.urlencode({"to": to, "text": text}).encode()
    request = urllib.request.Request(settings.SMS_GATEWAY_URL, data=body, method="POST", headers={"X-Sinergi-Token": settings.SMS_GATEWAY_TOKEN})
    try:
        with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        raise SmsError(f"gateway SMS menjawab {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise SmsError(f"gateway SMS tidak terjangkau: {getattr(error, 'reason', error)}") from None
    if not 200 <= status < 300:
        raise SmsError(f"gateway SMS menjawab {status}")


BACKENDS = {"console": _console, "http": _http}


def send_sms(to: str, text: str) -> None:
    """Send `text` to the phone number `to` (08… or +628…) through the configured backend."""
    BACKENDS[settings.SMS_BACKEND](international(to), text)

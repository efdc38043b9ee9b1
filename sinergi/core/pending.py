"""An uploaded import file kept between its preview and the user's confirmation (core/confirm.py).

The preview reads and checks the file and states what the import will change; the file waits in
the default storage, one slot per user and kind of import (a new preview replaces the old one), and
the confirmation carries a signed token naming the slot and the file's SHA-256. The token is
refused for another user, after an hour, or when the slot holds another file by then; the slot is
emptied once the import has run or the preview is cancelled, and every new preview removes the
files previews left behind more than an hour ago (they may hold personal data: a roster's NIK).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core.confirm import is_confirmed
from sinergi.core.tabular import InputRejected, RowError, UnreadableFile

SALT = "sinergi.pending-import"
MAX_AGE = 3600  # seconds
FOLDER = "impor-tertunda"


class PendingGone(Exception):
    """The previewed file is no longer there to import (expired, replaced, another user's)."""


def _slot(user, kind: str) -> str:
    return f"{FOLDER}/{kind}-{user.pk}"


def purge_abandoned(now=None) -> int:
    """Remove kept files older than MAX_AGE (their tokens no longer work); how many were removed."""
    limit = (now or timezone.now()) - timedelta(seconds=MAX_AGE)
    try:
        _, names = default_storage.listdir(FOLDER)
    except (FileNotFoundError, OSError):
        return 0
    removed = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                removed += 1
        except (FileNotFoundError, OSError):
            continue  # removed meanwhile by its own user's next preview
    return removed


def keep(user, kind: str, filename: str, content: bytes) -> str:
    """Store the file for `user`'s confirmation; returns the token the confirmation form carries."""
    purge_abandoned()
    slot = _slot(user, kind)
    default_storage.delete(slot)
    saved = default_storage.save(slot, ContentFile(content))
    return signing.dumps({"slot": saved, "user": user.pk, "kind": kind, "file": filename, "sha256": hashlib.sha256(content).hexdigest()}, salt=SALT)


def take(user, kind: str, token: str) -> tuple[str, bytes, str]:
    """(file name, content, slot) of the previewed file, or PendingGone."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        raise PendingGone from None
    if data.get("user") != user.pk or data.get("kind") != kind:
        raise PendingGone
    try:
        with default_storage.open(data["slot"], "rb") as stored:
            content = stored.read()
    except (FileNotFoundError, OSError):
        raise PendingGone from None
    if hashlib.sha256(content).hexdigest() != data["sha256"]:
        raise PendingGone
    return data["file"], content, data["slot"]


def discard(slot: str) -> None:
    default_storage.delete(slot)


def cancel(request, kind: str) -> None:
    """"Batal" on the preview (`?batal=1`): the kept file (it may hold personal data) is removed."""
    if request.method == "GET" and request.GET.get("batal") and request.user.is_authenticated:
        default_storage.delete(_slot(request.user, kind))


@dataclass
class ImportStep:
    """Where a two-step import stands after this request."""

    result: object = None  # the import's answer, once confirmed and run
    preview: object = None  # the dry run's answer, with `token` for the confirmation form
    token: str = ""
    errors: list[RowError] = field(default_factory=list)


def import_in_two_steps(request, *, kind: str, form, run: Callable[[str, bytes, bool], object]) -> ImportStep:
    """The upload is read, checked and counted by `run(filename, content, dry_run=True)` and kept;
    the confirmation (`confirm=1` and the token in `berkas`) runs `run(..., False)` on that same
    file. `form` is the upload form, unbound when the request confirms. InputRejected and
    UnreadableFile become `errors`."""
    step = ImportStep()
    cancel(request, kind)
    try:
        if request.method == "POST" and is_confirmed(request):
            filename, content, slot = take(request.user, kind, request.POST.get("berkas", ""))
            step.result = run(filename, content, False)
            discard(slot)
        elif request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            step.preview = run(upload.name, content, True)
            step.token = keep(request.user, kind, upload.name, content)
    except InputRejected as rejected:
        step.errors = rejected.errors
    except UnreadableFile as error:
        step.errors = [RowError(None, None, str(error))]
    except PendingGone:
        step.errors = [RowError(None, None, _("Berkas yang dipratinjau tidak ada lagi (kedaluwarsa atau diganti unggahan lain). Unggah berkasnya lagi."))]
    return step


def upload_form(request, form_class, **kwargs):
    """The upload form, bound to the request unless the request confirms a previewed file."""
    if request.method == "POST" and not is_confirmed(request):
        return form_class(request.POST, request.FILES, **kwargs)
    return form_class(**kwargs)

"""Evidence files of a case: checked by their first bytes (PDF, JPEG, PNG), at most 10 MB each,
stored in the default storage with their SHA-256 inside the caller's transaction, and removed
again from storage if that transaction fails (as `supervisors/attachments.py` does for photos)."""

import hashlib
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from sinergi.accounts.models import User
from sinergi.audit.services import Change, record
from sinergi.cases.models import Case, Evidence

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10
_EVIDENCE_TYPES = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


def checked(upload) -> tuple[object, str]:
    """An uploaded evidence file (PDF, JPEG or PNG, at most 10 MB) and its SHA-256, or ValidationError."""
    name = getattr(upload, "name", "") or "berkas"
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"evidence": [f"{name}: terlalu besar ({upload.size // 1024 // 1024} MB); paling besar 10 MB per berkas."]})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    content_type = next((kind for magic, kind in _EVIDENCE_TYPES.items() if head.startswith(magic)), None)
    if content_type is None:
        raise ValidationError({"evidence": [f"{name}: bukan PDF, JPEG atau PNG. Pindai dokumen ke PDF atau foto ke JPEG."]})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    upload.content_type = content_type
    return upload, digest.hexdigest()


def store(actor: User | None, case: Case, upload, digest: str, written: list[str]) -> Evidence:
    """Store one checked file of `case` inside the caller's transaction; its storage name is added
    to `written`, which the caller deletes if the transaction fails (no file without its row)."""
    evidence = Evidence(case=case, name=str(upload.name)[:200], content_type=upload.content_type, size=upload.size, sha256=digest, uploaded_by=actor)
    evidence.file.save(str(upload.name)[-100:], upload, save=False)
    written.append(evidence.file.name)
    evidence.save()
    record(actor=actor, changes=[Change("case.evidence", "cases.case", case.pk, str(case), case.election.slug, {"bukti": [None, evidence.name], "sha256": [None, digest]}, case.region_id)])
    return evidence


@contextmanager
def files_removed_on_failure():
    """A transaction that also removes the files it wrote to storage if it fails."""
    written: list[str] = []
    try:
        with transaction.atomic(durable=True):
            yield written
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise

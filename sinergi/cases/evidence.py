"""Evidence files of a case: checked by their content (`core.uploads.check_upload`: a whole JPEG or
PNG, or a PDF without active content), at most 10 MB each, stored in the default storage under a
name of our own with their SHA-256 inside the caller's transaction, and removed again from storage
if that transaction fails (as `supervisors/attachments.py` does for photos)."""

from contextlib import contextmanager

from django.core.files.storage import default_storage
from django.db import transaction

from sinergi.accounts.models import User
from sinergi.audit.services import Change, record
from sinergi.cases.models import Case, Evidence
from sinergi.core.uploads import DOCUMENT_KINDS, CheckedFile, check_upload

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10


def checked(upload) -> CheckedFile:
    """An uploaded evidence file (PDF, JPEG or PNG, at most 10 MB) checked by its content, or ValidationError."""
    return check_upload(upload, kinds=DOCUMENT_KINDS, max_bytes=MAX_EVIDENCE_BYTES, field="evidence")


def store(actor: User | None, case: Case, upload: CheckedFile, written: list[str]) -> Evidence:
    """Store one checked file of `case` inside the caller's transaction; its storage name is added
    to `written`, which the caller deletes if the transaction fails (no file without its row)."""
    evidence = Evidence(case=case, name=upload.original_name[:200], content_type=upload.content_type, size=upload.size, sha256=upload.sha256, uploaded_by=actor)
    evidence.file.save(upload.file.name, upload.file, save=False)
    written.append(evidence.file.name)
    evidence.save()
    record(actor=actor, changes=[Change("case.evidence", "cases.case", case.pk, str(case), case.election.slug, {"bukti": [None, evidence.name], "sha256": [None, upload.sha256]}, case.region_id)])
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

"""Photos sent with a report or an incident (the C.Hasil copy, evidence), after it and on their
own, idempotent on the phone's id; the file is checked by decoding it (`core.uploads`) and goes to
the default storage (local or S3-compatible) under a name of our own."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from sinergi.accounts.models import User
from sinergi.audit.services import Change, record
from sinergi.core.uploads import MAX_PHOTO_BYTES, PHOTO_KINDS, check_upload
from sinergi.supervisors.checklists import ATTACHMENT, checklists
from sinergi.supervisors.models import Attachment, Incident, Question, Report
from sinergi.supervisors.reports import ReportConflict, check_may_file


def attach(
    *, actor: User | None, client_id: uuid.UUID, upload, code: str = ATTACHMENT, report_id: uuid.UUID | None = None, incident_id: uuid.UUID | None = None
) -> tuple[Attachment, bool]:
    """Store a photo for the report (or incident) the phone sent under `report_id`
    (`incident_id`): idempotent on `client_id` like a report. (attachment, created)."""
    if (report_id is None) == (incident_id is None):
        raise ValidationError("Sebutkan laporan atau kejadian yang dilampiri foto ini (salah satu).")
    parent = (Report if report_id else Incident).objects.filter(client_id=report_id or incident_id).select_related("station__election", "station__village").first()
    if parent is None:
        raise Http404("Laporan atau kejadian ini belum diterima: kirim laporannya lebih dulu.")
    check_may_file(actor, parent.station)
    photo = check_upload(upload, kinds=PHOTO_KINDS, max_bytes=MAX_PHOTO_BYTES)  # decoded whole; stored under our name

    def same(existing: Attachment) -> Attachment:
        stored = {"parent": (existing.report_id, existing.incident_id), "code": existing.code, "file": existing.sha256}
        given = {"parent": (parent.pk, None) if report_id else (None, parent.pk), "code": code, "file": photo.sha256}
        labels = {"parent": "laporan/kejadian (report_id/incident_id)", "code": "untuk (code)", "file": "foto (file)"}
        differing = [name for name in labels if stored[name] != given[name]]
        if differing:
            named = ", ".join(labels[name] for name in differing)
            as_sent = {"parent": "report_id" if report_id else "incident_id"}
            raise ReportConflict(f"Id lampiran {client_id} sudah dipakai untuk foto lain; berbeda: {named}. Buat id baru untuk foto ini.", [as_sent.get(n, n) for n in differing])
        return existing

    if (existing := Attachment.objects.filter(client_id=client_id).first()) is not None:
        return same(existing), False
    allowed = {ATTACHMENT}
    if report_id:
        allowed |= {code for code, q in checklists(parent.election_id).get(parent.stage, {}).items() if q.kind == Question.Kind.PHOTO}
    if code not in allowed:
        raise ValidationError(f"'{code}' bukan pertanyaan foto tahap ini; pilih: {', '.join(sorted(allowed))}.")
    kind = "report" if report_id else "incident"
    attachment = Attachment(
        client_id=client_id, code=code, file=photo.file, content_type=photo.content_type, size=photo.size,
        sha256=photo.sha256, uploaded_by=actor, **{kind: parent},
    )  # fmt: skip
    try:
        with transaction.atomic(durable=True):
            attachment.save()  # the file is written first, then the row
            record(actor=actor, changes=[Change("attachment.add", f"supervisors.{kind}", parent.pk, str(parent.station), parent.station.election.slug, {"lampiran": [None, code], "sha256": [None, attachment.sha256]}, parent.station.village_id)])
    except BaseException:
        if attachment.file.name and attachment.file.name != photo.file.name:
            attachment.file.storage.delete(attachment.file.name)  # no row points at it: no orphan left in storage
        existing = Attachment.objects.filter(client_id=client_id).first()
        if existing is None:
            raise
        return same(existing), False
    return attachment, True

"""The minutes (notulen) of a meeting as a PDF under the letterhead of the agency that recorded it."""

from django.utils import timezone, translation

from sinergi.accounts.letterhead import id_label, letterhead_of
from sinergi.coordination.models import Meeting
from sinergi.coordination.queries import rows_of
from sinergi.core.pdf import render_pdf
from sinergi.regions.queries import zone_label


def minutes_pdf(meeting: Meeting) -> bytes:
    """The notulen: when, where, who, the minutes, the decisions, the action items with their
    status on the day printed, and room for the note-taker's and the chair's signatures."""
    zone = meeting.time_zone
    recorder = meeting.recorded_by
    note_taker = meeting.created_by
    context = {
        "meeting": meeting,
        "kop": letterhead_of(recorder),
        "note_taker": (note_taker.get_full_name() or note_taker.username) if note_taker else "",
        "note_taker_id_label": id_label(note_taker.agency.kind) if note_taker and note_taker.agency_id else "NIP/NRP",
        "starts_at": timezone.localtime(meeting.starts_at, zone),
        "printed_at": timezone.localtime(timezone.now(), zone),
        "tz_label": zone_label(meeting.time_zone),
        "rows": rows_of(meeting.action_items.all()),
        "town": recorder.region.name,
    }
    with translation.override("id"):
        return render_pdf("coordination/minutes_document.html", context)

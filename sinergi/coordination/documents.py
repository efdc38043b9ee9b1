"""The minutes (notulen) of a meeting as a PDF under the letterhead of the agency that recorded it."""

from django.utils import timezone, translation

from sinergi.coordination.models import Meeting
from sinergi.coordination.queries import rows_of
from sinergi.core.pdf import render_pdf

_LETTERHEAD = {
    "bawaslu": ("BADAN PENGAWAS PEMILIHAN UMUM", "KABUPATEN {place}"),
    "polres": ("KEPOLISIAN NEGARA REPUBLIK INDONESIA", "RESOR {place}"),
    "kpu": ("KOMISI PEMILIHAN UMUM", "KABUPATEN {place}"),
    "kejaksaan": ("KEJAKSAAN REPUBLIK INDONESIA", "KEJAKSAAN NEGERI {place}"),
    "pemda": ("PEMERINTAH KABUPATEN {place}", ""),
}


def minutes_pdf(meeting: Meeting) -> bytes:
    """The notulen: when, where, who, the minutes, the decisions, the action items with their
    status on the day printed, and room for the note-taker's and the chair's signatures."""
    zone = meeting.time_zone
    recorder = meeting.recorded_by
    place = recorder.region.name.upper()
    line1, line2 = _LETTERHEAD.get(recorder.kind, (recorder.name.upper(), ""))
    context = {
        "meeting": meeting,
        "lines": (line1.format(place=place), line2.format(place=place)),
        "starts_at": timezone.localtime(meeting.starts_at, zone),
        "printed_at": timezone.localtime(timezone.now(), zone),
        "tz_label": meeting.election.time_zone_label.split(" ")[0] if meeting.election_id else "WITA",
        "rows": rows_of(meeting.action_items.all()),
        "town": recorder.region.name,
    }
    with translation.override("id"):
        return render_pdf("coordination/minutes_document.html", context)

"""Shared test data of coordination meetings."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sinergi.accounts.models import Agency
from sinergi.coordination.models import ActionItem, Meeting

WITA = ZoneInfo("Asia/Makassar")
KLUNGKUNG = "51.05"
NUSA_PENIDA = "51.05.01"


def agency(slug: str) -> Agency:
    return Agency.objects.get(slug=slug)


def meeting_data(**changes) -> dict:
    return {
        "kind": Meeting.Kind.COORDINATION,
        "title": "Rapat koordinasi pengamanan (uji)",
        "starts_at": datetime(2024, 1, 16, 10, 0, tzinfo=WITA),
        "place": "Mapolres Klungkung",
        "region_code": KLUNGKUNG,
        "agencies": [agency("bawaslu-klungkung"), agency("polres-klungkung")],
        "minutes": "Notulen uji.",
        "decisions": ["Logistik dikawal sampai TPS.", "", "TPS Nusa Penida dipantau."],
        "action_items": [
            {"title": "Pengawalan logistik", "owner": agency("polres-klungkung"), "due_on": date(2024, 2, 13), "decision": 1},
            {},  # an empty row of the form is skipped
            {"title": "Pelantikan PTPS", "owner": agency("bawaslu-klungkung"), "due_on": date(2024, 1, 22)},
        ],
        **changes,
    }


def item_titled(meeting: Meeting, title: str) -> ActionItem:
    return meeting.action_items.select_related("meeting__election").get(title=title)

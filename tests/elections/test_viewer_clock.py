"""The clock a page is read in follows the viewer's province (Election.zone_for): a Bawaslu in
Jayapura reads the situation room and the coverage board in WIT, Klungkung's in WITA, a national
viewer in the election's own zone; a report's register and number take the year and month where
it was observed; a meeting's time is that of the place it is held."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from sinergi.accounts.models import Agency, User
from sinergi.coordination.forms import MeetingForm
from sinergi.coordination.models import Meeting, meeting_zone
from sinergi.regions.models import Region
from sinergi.regions.timezones import WIT, WITA
from sinergi.stations.models import Station
from sinergi.supervisors.models import report_number, report_register
from tests import personas
from tests.papua import add_jayapura

ROOM = "/pemilihan/pemilu-2024/situasi/"
COVERAGE = "/pemilihan/pemilu-2024/pengawasan/"


@pytest.fixture
def jayapura(pemilu):
    """Kota Jayapura (province 91, WIT) with one TPS in the Klungkung demo's election, and its Bawaslu."""
    add_jayapura()
    Station.objects.create(election=pemilu, village_id="91.71.01.1001", number=1, voters=250)
    agency = Agency.objects.create(slug="bawaslu-jayapura", kind=Agency.Kind.BAWASLU, name="Bawaslu Kota Jayapura", region_id="91.71")
    return User.objects.create_user("bawaslu-jayapura", password="x", agency=agency, role=User.Role.ADMIN)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def clock_line(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</p>", start)]


@pytest.mark.django_db
def test_each_viewer_reads_the_room_at_the_same_moment_in_their_own_zone(pemilu, jayapura, user_of):
    assert pemilu.zone_for(jayapura.area_code) == ZoneInfo(WIT)
    assert pemilu.zone_for(user_of(personas.BAWASLU).area_code) == ZoneInfo(WITA)
    assert pemilu.zone_for(None) == ZoneInfo(pemilu.time_zone)  # a national viewer
    # 07:00 typed by each is 07:00 on their own clock: an hour apart.
    papua = clock_line(signed_in(jayapura).get(ROOM + "?pada=2024-02-14T07:00").content.decode(), "situation-clock")
    assert "14 Feb 2024 07:00" in papua and "WIT ·" in papua and "WITA" not in papua
    bali = clock_line(signed_in(user_of(personas.BAWASLU)).get(ROOM + "?pada=2024-02-14T07:00").content.decode(), "situation-clock")
    assert "14 Feb 2024 07:00" in bali and "WITA" in bali


@pytest.mark.django_db
def test_the_coverage_board_shows_the_papuan_viewer_wit(pemilu, jayapura, user_of):
    page = signed_in(jayapura).get(COVERAGE + "?tahap=persiapan&pada=2024-02-14T08:00").content.decode()
    line = page[page.index('data-testid="coverage-board"') :]
    line = line[: line.index("</p>")]
    # Due at 07.30 on the TPS's clock; the board is read at 08:00 WIT, both in WIT.
    assert "14 Feb 2024 08:00" in line and "pukul 07:30" in line and " WIT ·" in line
    bali = signed_in(user_of(personas.BAWASLU)).get(COVERAGE + "?tahap=persiapan&pada=2024-02-14T08:00").content.decode()
    assert "14 Feb 2024 08:00" in bali and " WITA ·" in bali


def test_a_report_is_registered_in_the_year_and_month_where_it_was_observed():
    new_year_in_papua = datetime(2024, 12, 31, 15, 30, tzinfo=UTC)  # 00:30 WIT, 23:30 WITA
    assert report_register("91.71.01.1001", new_year_in_papua, WITA) == "91.71/2025"
    assert report_register("51.05.01.2010", new_year_in_papua, WITA) == "51.05/2024"
    assert report_number(7, "91.71/2025", new_year_in_papua, WITA) == "00007/LHP/PM.01.03/91.71/01/2025"
    assert report_number(7, "51.05/2024", new_year_in_papua, WITA) == "00007/LHP/PM.01.03/51.05/12/2024"
    # A code of no known province keeps the election's zone.
    assert report_register("99.01.01.1001", new_year_in_papua, WITA) == "99.01/2024"


@pytest.mark.django_db
def test_a_meeting_in_jayapura_is_held_at_jayapura_time(pemilu, jayapura):
    assert meeting_zone("91.71", None) == ZoneInfo(WIT)
    assert meeting_zone("51.05", pemilu) == ZoneInfo(WITA)
    assert meeting_zone("", None) == ZoneInfo(WITA)  # nowhere known: the deployment's default
    regions = Region.objects.filter(code__in=["91.71", "51.05"])
    data = {"kind": Meeting.Kind.values[0], "title": "Koordinasi", "day": "2024-02-10", "start_time": "09:00", "place": "Kantor", "region": "91.71", "election": str(pemilu.pk)}
    form = MeetingForm(data, elections=[pemilu], regions=regions, agencies=[])
    assert form.is_valid(), form.errors
    assert form.starts_at() == datetime.combine(date(2024, 2, 10), time(9, 0), ZoneInfo(WIT))
    assert form.starts_at().astimezone(UTC).hour == 0  # 09:00 WIT is 00:00 UTC, 01:00 WITA
    form = MeetingForm({**data, "region": "51.05"}, elections=[pemilu], regions=regions, agencies=[])
    assert form.is_valid() and form.starts_at().astimezone(UTC).hour == 1


@pytest.mark.django_db
def test_the_papuan_release_is_printed_on_wit(pemilu, jayapura, on):
    from tests.pdfs import pages_of

    on(datetime(2024, 1, 10, 1, 30, tzinfo=UTC))  # 10.30 WIT, 09.30 WITA
    text = "\n".join(pages_of(signed_in(jayapura).get("/pemilihan/pemilu-2024/rawan/rilis.pdf").content))
    assert "10 Januari 2024 10:30 WIT" in text and "WITA" not in text


@pytest.mark.django_db
def test_the_stage_due_is_the_one_due_on_the_viewers_clock(pemilu, jayapura, user_of):
    """13.45 WIT is 12.45 WITA: past the voting report's 13.30 in Jayapura, not yet in Bali."""
    from sinergi.situation.queries import situation_for
    from sinergi.supervisors.coverage import stage_due

    moment = datetime(2024, 2, 14, 13, 45, tzinfo=ZoneInfo(WIT))
    assert stage_due(pemilu, moment, jayapura.area_code) == "pemungutan"
    assert stage_due(pemilu, moment, user_of(personas.BAWASLU).area_code) == "persiapan"
    assert situation_for(jayapura, pemilu, moment).reports["stage"] == "pemungutan"

"""Voting-day clocks are local to the TPS: a report due at 07.30 is due at 07.30 WIT in Papua, an
hour before 07.30 WITA in Klungkung, in the same election (regions/timezones.py)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from sinergi.accounts.models import User
from sinergi.cases.deadlines import Deadline, Rule, Unit
from sinergi.cases.models import Case
from sinergi.cases.services import deadline_end
from sinergi.guard.post_queries import opening_time
from sinergi.regions.queries import zone_label, zone_of
from sinergi.regions.timezones import PROVINCES, WIB, WIT, WITA, parse_overrides
from sinergi.stations.models import Station
from sinergi.supervisors.coverage import coverage_for, due_at, progress_for, station_status
from tests.papua import add_jayapura

WIT_ZONE = ZoneInfo(WIT)
DEPLOYMENT = User(is_superuser=True, is_active=True)


@pytest.fixture
def papua_tps(pemilu):
    """A TPS in Jayapura (province 91, WIT) in the Klungkung demo's election."""
    add_jayapura()
    return Station.objects.create(election=pemilu, village_id="91.71.01.1001", number=1, voters=250)


def at_wit(election, hour: int, minute: int) -> datetime:
    day = election.voting_date
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIT_ZONE)


def test_every_province_has_a_zone():
    assert len(PROVINCES) == 38
    assert PROVINCES["51"] == WITA and PROVINCES["31"] == WIB and PROVINCES["91"] == WIT


def test_a_bad_override_is_refused_by_name():
    assert parse_overrides(["51=Asia/Jakarta"]) == {"51": WIB}
    with pytest.raises(ValueError, match="'5=Asia/Makassar'"):
        parse_overrides(["5=Asia/Makassar"])
    with pytest.raises(ValueError, match="'51=Europe/Paris'"):
        parse_overrides(["51=Europe/Paris"])


@pytest.mark.django_db
def test_the_zone_follows_the_province_and_the_setting(pemilu):
    assert zone_label(pemilu.zone_at("91.71.01.1001")) == "WIT"
    assert zone_label(pemilu.zone_at("51.05.01.2010")) == "WITA"
    assert pemilu.zone_at("") == ZoneInfo(pemilu.time_zone)  # a national viewer: the election's zone
    with override_settings(PROVINCE_TIME_ZONES={"51": WIB}):
        assert zone_of("51.05", pemilu.time_zone) == ZoneInfo(WIB)


@pytest.mark.django_db
def test_the_papua_tps_is_missing_at_07_30_wit_while_klungkung_is_not_yet_due(pemilu, papua_tps):
    due = due_at(pemilu, "persiapan", papua_tps.village_id)
    assert due == at_wit(pemilu, 7, 30) == due_at(pemilu, "persiapan", "51.05.01.2010") - timedelta(hours=1)

    before = coverage_for(DEPLOYMENT, pemilu, "persiapan", at_wit(pemilu, 7, 29))
    assert papua_tps not in before.missing and before.missing == []
    after = coverage_for(DEPLOYMENT, pemilu, "persiapan", at_wit(pemilu, 7, 31))
    assert after.missing == [papua_tps]  # 06.31 WITA: no Klungkung TPS is due yet

    counted = progress_for(DEPLOYMENT, pemilu, "persiapan", at_wit(pemilu, 7, 31))
    assert (counted.missing, counted.first_missing) == (1, ["TPS 001 Gurabesi"])
    assert progress_for(DEPLOYMENT, pemilu, "persiapan", at_wit(pemilu, 7, 29)).missing == 0
    # An hour later Klungkung's 07.30 WITA has come too: every TPS without a report is missing.
    later = progress_for(DEPLOYMENT, pemilu, "persiapan", at_wit(pemilu, 8, 31))
    assert later.missing == len(coverage_for(DEPLOYMENT, pemilu, "persiapan", at_wit(pemilu, 8, 31)).missing) > 1

    stages = {s.stage: s for s in station_status(DEPLOYMENT, pemilu, papua_tps.pk, at_wit(pemilu, 7, 31)).stages}
    assert stages["persiapan"].due == at_wit(pemilu, 7, 30)


@pytest.mark.django_db
def test_the_tps_open_at_07_00_on_the_clock_of_the_polsek(pemilu):
    assert opening_time(pemilu, "91.71.01") == at_wit(pemilu, 7, 0)
    assert opening_time(pemilu, "51.05.01") == at_wit(pemilu, 8, 0)


@pytest.mark.django_db
def test_a_case_deadline_ends_at_23_59_where_the_case_is(pemilu, papua_tps):
    rule = Rule("uji", "Uji", 7, Unit.DAYS, "diketahui", "uji")
    deadline = Deadline(rule, date(2024, 2, 14), date(2024, 2, 21))
    papua, klungkung = Case(election=pemilu, region_id="91.71.01.1001"), Case(election=pemilu, region_id="51.05.01.2010")
    assert deadline_end(papua, deadline) == datetime(2024, 2, 22, 0, 0, tzinfo=WIT_ZONE)
    assert deadline_end(papua, deadline) == deadline_end(klungkung, deadline) - timedelta(hours=1)

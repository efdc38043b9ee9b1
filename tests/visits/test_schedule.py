"""Scheduling joint visits with the crossings and departures of the logistics network."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergi.audit.models import AuditEvent
from sinergi.logistics.models import Crossing, CrossingClosure, Place
from sinergi.stations.models import Station
from sinergi.visits.models import Visit
from sinergi.visits.services import plan_visit
from tests import personas
from tests.visits.conftest import IN_STAGE, agency, joint_agencies, lembongan_stations, other_kecamatan_user, ped_stations

WITA = ZoneInfo("Asia/Makassar")
RORO = "Padangbai – Sampalan/Mentigi (kapal RoRo)"
BOAT = "Kusamba – Nusa Lembongan (perahu barang)"


def _plan(user, election, stations, **changes):
    data = {
        "actor": user,
        "election": election,
        "day": IN_STAGE,
        "station_ids": [s.pk for s in stations],
        "agency_ids": joint_agencies(),
        "team": "Tim gabungan",
        "today": date(2024, 2, 1),
    }
    return plan_visit(**(data | changes))


def test_a_visit_across_the_roro_takes_the_first_boat_out_and_the_first_back(pemilu, ped_visit):
    assert ped_visit.crossing == RORO
    # 07.00 from the capital, the road to Padangbai and 30 minutes at the port: the 09.00 boat.
    assert ped_visit.out_departure == time(9, 0)
    stops = list(ped_visit.stops.order_by("order"))
    assert [s.order for s in stops] == [1, 2, 3]
    assert stops[0].arrives_at > time(10, 0)  # the crossing takes an hour
    assert stops[0].arrives_at < stops[1].arrives_at < stops[2].arrives_at
    assert ped_visit.back_departure in (time(12, 0), time(15, 0))
    assert ped_visit.back_departure > stops[2].arrives_at
    assert ped_visit.home_at == time(ped_visit.back_departure.hour + 1, 0)
    assert ped_visit.region_id == "51.05.01" and ped_visit.status == Visit.Status.PLANNED
    event = AuditEvent.objects.get(action="visit.plan", object_id=str(ped_visit.pk))
    assert event.region == "51.05.01" and event.election == pemilu.slug
    assert "berangkat 09.00" in event.changes["penyeberangan"][1]


def test_a_closed_departure_is_skipped(pemilu, user_of):
    crossing = Crossing.objects.get(election=pemilu, name=RORO)
    CrossingClosure.objects.create(
        crossing=crossing, starts_at=datetime(2024, 2, 6, 8, 0, tzinfo=WITA), ends_at=datetime(2024, 2, 6, 10, 0, tzinfo=WITA), reason="Gelombang tinggi"
    )
    visit = _plan(user_of(personas.BAWASLU), pemilu, ped_stations(pemilu, 1))
    assert visit.out_departure == time(12, 0) and visit.back_departure == time(15, 0)


def test_a_day_that_cannot_end_back_on_the_mainland_is_refused(pemilu, user_of):
    """The demo network's boat to Nusa Lembongan leaves Kusamba at 09.00 and 11.00 and records no
    way back: a team landing at 10.15 cannot board the 11.00 back after visiting a TPS."""
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        _plan(user_of(personas.BAWASLU), pemilu, lembongan_stations(pemilu, 1))
    message = refused.value.message_dict["stations"][0]
    assert "tidak dapat kembali hari yang sama" in message and BOAT in message and "11.00" in message
    assert not Visit.objects.exists() and AuditEvent.objects.count() == events


def test_too_many_tps_for_the_last_boat_back_is_refused(pemilu, user_of):
    stations = list(Station.objects.filter(election=pemilu, village__parent_id="51.05.01", crossing=RORO).order_by("village_id", "number")[:12])
    with pytest.raises(ValidationError, match="Kurangi jumlah TPS"):
        _plan(user_of(personas.BAWASLU), pemilu, stations, minutes_per_station=60)


def test_a_way_back_recorded_in_the_network_is_used(pemilu, user_of):
    boat = Crossing.objects.get(election=pemilu, name=BOAT)
    Crossing.objects.create(
        election=pemilu,
        district=boat.district,
        name="Nusa Lembongan – Kusamba",
        origin=boat.destination,
        destination=boat.origin,
        mode="barang",
        duration_min=75,
        departures=["14:00", "16:00"],
        capacity=15,
    )
    visit = _plan(user_of(personas.BAWASLU), pemilu, lembongan_stations(pemilu, 2))
    assert visit.crossing == BOAT and visit.out_departure == time(9, 0) and visit.back_departure == time(14, 0)
    assert visit.home_at == time(15, 15)


def test_a_mainland_visit_has_no_crossing(pemilu, user_of):
    stations = list(Station.objects.filter(election=pemilu, village__parent_id="51.05.02").order_by("village_id", "number")[:2])
    visit = _plan(user_of(personas.POLRES), pemilu, stations, agency_ids=[agency("bawaslu-klungkung").pk, agency("polres-klungkung").pk])
    assert visit.crossing == "" and visit.out_departure is None and visit.leaves_at == time(7, 0)
    assert visit.home_at > visit.stops.order_by("-order").first().arrives_at


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"day": date(2024, 2, 14)}, "day", "sebelum hari pemungutan suara"),
        ({"day": date(2024, 1, 31)}, "day", "sudah lewat"),
        ({"team": "  "}, "team", "anggota tim"),
        ({"station_ids": []}, "stations", "paling sedikit satu TPS"),
        ({"agency_ids": [0]}, "agencies", "tidak bertugas"),
        ({"minutes_per_station": 5}, "minutes_per_station", "10–240"),
    ],
)
def test_bad_plans_are_refused_naming_the_field(pemilu, user_of, changes, field, text):
    with pytest.raises(ValidationError) as refused:
        _plan(user_of(personas.BAWASLU), pemilu, ped_stations(pemilu, 1), **changes)
    assert text in " ".join(refused.value.message_dict[field])


def test_a_joint_visit_needs_both_sides(pemilu, user_of):
    with pytest.raises(ValidationError, match="satu lembaga pengawas"):
        _plan(user_of(personas.BAWASLU), pemilu, ped_stations(pemilu, 1), agency_ids=[agency("bawaslu-klungkung").pk, agency("panwascam-nusa-penida").pk])


def test_tps_on_two_islands_are_two_visits(pemilu, user_of):
    with pytest.raises(ValidationError, match="sisi penyeberangan yang berbeda"):
        _plan(user_of(personas.BAWASLU), pemilu, ped_stations(pemilu, 1) + lembongan_stations(pemilu, 1))


def test_tps_of_two_kecamatan_are_two_visits(pemilu, user_of):
    mainland = Station.objects.filter(election=pemilu, village__parent_id="51.05.02").first()
    with pytest.raises(ValidationError, match="satu kecamatan"):
        _plan(user_of(personas.BAWASLU), pemilu, [*ped_stations(pemilu, 1), mainland])


def test_another_kecamatans_polsek_cannot_plan_nusa_penida(pemilu):
    dawan = other_kecamatan_user("polsek-dawan", "polsek-dawan-uji")
    with pytest.raises(ValidationError, match="di luar wilayah Anda"):
        _plan(dawan, pemilu, ped_stations(pemilu, 1))


def test_kpu_cannot_plan(pemilu, user_of):
    with pytest.raises(PermissionDenied):
        _plan(user_of(personas.KPU), pemilu, ped_stations(pemilu, 1))


def test_the_ports_of_the_crossings_are_in_the_network(pemilu):
    # The schedule reads the demo network's ports: the tests above depend on them.
    assert Place.objects.filter(election=pemilu, key__in=["padangbai", "sampalan", "kusamba", "jungutbatu"]).count() == 4

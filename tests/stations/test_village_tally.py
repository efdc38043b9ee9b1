"""The villages' tally (kept by database triggers) follows every kind of write to the TPS, and the
overview's counts read from it equal the counts of the TPS themselves."""

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum

from sinergi.regions.models import Region
from sinergi.stations.models import KecamatanTally, Station, VillageTally
from sinergi.stations.queries import counts_by_kecamatan, counts_for, stations_visible_to
from tests import personas


def live(election) -> dict[str, tuple]:
    rows = Station.objects.filter(election=election).order_by().values("village_id")
    rows = rows.annotate(n=Count("id"), v=Sum("voters"), s=Count("id", filter=Q(access="laut")), e=Count("id", filter=Q(location_estimated=True)))
    return {r["village_id"]: (r["n"], r["v"], r["s"], r["e"]) for r in rows}


def tallied(election) -> dict[str, tuple]:
    rows = VillageTally.objects.filter(election=election, stations__gt=0)
    return {t.village_id: (t.stations, t.voters, t.by_sea, t.estimated) for t in rows}


def kecamatan_live(election) -> dict[str, tuple]:
    found: dict[str, list[int]] = {}
    for village, counts in live(election).items():
        entry = found.setdefault(village[:8], [0, 0, 0, 0, 0])
        found[village[:8]] = [entry[0] + 1, *(a + b for a, b in zip(entry[1:], counts, strict=True))]
    return {code: tuple(values) for code, values in found.items()}


def kecamatan_tallied(election) -> dict[str, tuple]:
    rows = KecamatanTally.objects.filter(election=election, stations__gt=0)
    return {t.kecamatan_id: (t.villages, t.stations, t.voters, t.by_sea, t.estimated) for t in rows}


@pytest.mark.django_db
def test_the_tally_follows_every_write(pemilu, pilkada):
    assert tallied(pemilu) == live(pemilu) and len(tallied(pemilu)) == 59
    assert kecamatan_tallied(pemilu) == kecamatan_live(pemilu) and len(kecamatan_tallied(pemilu)) == 4
    Station.objects.create(election=pemilu, village_id="51.05.01.2001", number=900, voters=123, access="laut", location_estimated=True)
    Station.objects.bulk_create([Station(election=pemilu, village_id="51.05.02.2001", number=900 + n, voters=10 * n) for n in range(1, 4)])
    moved = Station.objects.filter(election=pemilu, village_id="51.05.03.2001").first()
    moved.village_id, moved.number, moved.voters, moved.access = "51.05.04.2001", 950, 77, "laut"
    moved.save()
    Station.objects.filter(election=pemilu, village_id="51.05.01.2002").update(location_estimated=False, voters=5)
    batch = list(Station.objects.filter(election=pemilu, village_id="51.05.02.2002"))
    for station in batch:
        station.voters += 1
    Station.objects.bulk_update(batch, ["voters"])
    Region.objects.create(code="51.05.01.2999", name="Desa Baru", kind=Region.Kind.DESA, parent_id="51.05.01", level=4)
    Station.objects.bulk_create([Station(election=pemilu, village_id="51.05.01.2999", number=n, voters=50) for n in (1, 2)])
    assert tallied(pemilu)["51.05.01.2999"] == (2, 100, 0, 0)
    assert kecamatan_tallied(pemilu) == kecamatan_live(pemilu)
    Station.objects.filter(village_id="51.05.01.2999").delete()
    Station.objects.get(election=pemilu, village_id="51.05.01.2001", number=900).delete()
    assert tallied(pemilu) == live(pemilu) and "51.05.01.2999" not in tallied(pemilu)
    assert kecamatan_tallied(pemilu) == kecamatan_live(pemilu)
    assert tallied(pilkada) == live(pilkada) and kecamatan_tallied(pilkada) == kecamatan_live(pilkada)


@pytest.mark.django_db
@pytest.mark.parametrize("username", [personas.KPU, personas.POLSEK_NUSA_PENIDA, personas.PTPS_PED, "village"])
def test_the_overview_counts_equal_the_counts_of_the_tps(user_of, pemilu, username):
    user = user_of(personas.BAWASLU_STAFF if username == "village" else username)
    if username == "village":  # an account narrowed to one village reads the villages' tallies
        user.area_id = "51.05.01.2010"
    Station.objects.filter(election=pemilu, village__code__startswith="51.05.01.").update(access="laut", location_estimated=True)
    visible = stations_visible_to(user, pemilu)
    expected = visible.aggregate(stations=Count("id"), voters=Sum("voters"), by_sea=Count("id", filter=Q(access="laut")), estimated=Count("id", filter=Q(location_estimated=True)))
    expected["voters"] = expected["voters"] or 0
    assert counts_for(user, pemilu) == expected and (expected["stations"] > 0 or username == personas.PTPS_PED)
    per_village = visible.order_by().values("village_id").annotate(n=Count("id"), v=Sum("voters"))
    kecamatan: dict[str, list[int]] = {}
    for row in per_village:
        entry = kecamatan.setdefault(row["village_id"][:8], [0, 0, 0])
        entry[0], entry[1], entry[2] = entry[0] + 1, entry[1] + row["n"], entry[2] + row["v"]
    assert [(k["code"], k["villages"], k["stations"], k["voters"]) for k in counts_by_kecamatan(user, pemilu)] == [(c, *kecamatan[c]) for c in sorted(kecamatan)]


@pytest.mark.django_db
def test_one_statement_that_swaps_and_empties_villages_keeps_the_tallies(pemilu):
    """An UPDATE whose old and new rows touch the same villages (TPS swapped between two villages,
    a village emptied into another) is one delta per village: the tallies still equal the TPS."""
    from django.db.models import Case, Value, When

    a, b = "51.05.02.2001", "51.05.02.2002"
    for offset, station in enumerate(Station.objects.filter(election=pemilu, village_id__in=[a, b])):
        station.number = 800 + offset  # no clash of numbers once swapped
        station.save(update_fields=["number"])
    Station.objects.filter(election=pemilu, village_id__in=[a, b]).update(village_id=Case(When(village_id=a, then=Value(b)), default=Value(a)))
    assert tallied(pemilu) == live(pemilu) and kecamatan_tallied(pemilu) == kecamatan_live(pemilu)
    emptied = "51.05.03.2001"
    moved = Station.objects.filter(election=pemilu, village_id=emptied)
    for offset, station in enumerate(moved):
        station.number = 850 + offset
        station.save(update_fields=["number"])
    Station.objects.filter(election=pemilu, village_id=emptied).update(village_id="51.05.04.2001")
    assert emptied not in live(pemilu) and tallied(pemilu) == live(pemilu)
    assert kecamatan_tallied(pemilu) == kecamatan_live(pemilu)  # Kecamatan 51.05.03 has a village with TPS fewer


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer on one database lock: nothing to race")
@pytest.mark.django_db(transaction=True)
def test_opposite_moves_at_once_neither_deadlock_nor_miscount(committed):
    """Two writers moving TPS between the same two villages in opposite directions, many times at
    once: every move commits (the tally rows are taken in one order) and the tallies equal the TPS."""
    import threading

    from django.db import connections, transaction

    from sinergi.elections.models import Election

    election = Election.objects.get(slug="pemilu-2024")
    a, b = "51.05.02.2001", "51.05.02.2002"
    first = Station.objects.filter(election=election, village_id=a).order_by("number").first()
    second = Station.objects.filter(election=election, village_id=b).order_by("number").first()
    Station.objects.filter(pk=first.pk).update(number=9001)
    Station.objects.filter(pk=second.pk).update(number=9002)
    start, errors = threading.Barrier(2), []

    def shuttle(pk: int, there: str, back: str):
        try:
            start.wait()
            for _round in range(60):
                for village in (there, back):
                    with transaction.atomic():
                        Station.objects.filter(pk=pk).update(village_id=village)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=shuttle, args=(first.pk, b, a)), threading.Thread(target=shuttle, args=(second.pk, a, b))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert tallied(election) == live(election) and kecamatan_tallied(election) == kecamatan_live(election)

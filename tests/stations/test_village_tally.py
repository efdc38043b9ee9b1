"""The villages' tally (kept by database triggers) follows every kind of write to the TPS, and the
overview's counts read from it equal the counts of the TPS themselves."""

import pytest
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

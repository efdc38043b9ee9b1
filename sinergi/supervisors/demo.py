"""Demo roster: one fictitious PTPS for each of Klungkung's 649 Pemilu 2024 TPS.

Names are obviously invented ("I Made Fiktif 017"), NIKs are made-up numbers shaped like real
ones (regency code, birth date, serial) and marked fictitious; everyone is resident in the TPS's
village, meets every requirement and registered on 2 Jan 2024.
"""

import random
from datetime import date

from django.db import transaction

from sinergi.audit.services import Change, record
from sinergi.elections.models import Election
from sinergi.stations.models import Station
from sinergi.supervisors import eligibility
from sinergi.supervisors.models import Assignment, Supervisor

ORDER = ("Wayan", "Made", "Nyoman", "Ketut")
REGISTERED = date(2024, 1, 2)


def seed(election: Election) -> int:
    if election.slug != "pemilu-2024" or Supervisor.objects.filter(election=election).exists():
        return 0
    rng = random.Random(2024)
    stations = list(Station.objects.filter(election=election).select_related("village").order_by("village_id", "number"))
    people = []
    for n, station in enumerate(stations, start=1):
        male = rng.random() < 0.55
        born = date(rng.randint(1970, 2002), rng.randint(1, 12), rng.randint(1, 28))
        kecamatan = station.village.parent_id.rsplit(".", 1)[1]
        nik = f"5105{kecamatan}{born.day + (0 if male else 40):02d}{born.month:02d}{born.year % 100:02d}{n:04d}"
        people.append(
            Supervisor(
                election=election, name=f"{'I' if male else 'Ni'} {rng.choice(ORDER)} Fiktif {n:03d}", nik=nik, birth_date=born,
                sex="L" if male else "P", education=rng.choice(("sma", "sma", "sma", "d3", "s1")), residence_id=station.village_id,
                phone=f"08123{n:07d}", registered_on=REGISTERED, declarations=dict.fromkeys(eligibility.DECLARATIONS, True), fictitious=True,
            )  # fmt: skip
        )
    with transaction.atomic():
        _store(election, people, stations)
    return len(stations)


def _store(election: Election, people: list[Supervisor], stations: list[Station]) -> None:
    posts = []
    Supervisor.objects.bulk_create(people, batch_size=1000)
    for person, station in zip(people, stations, strict=True):
        posts.append(
            Assignment(supervisor=person, election=election, role=Assignment.Role.PTPS, station=station, region_id=station.village_id, status=Assignment.Status.ELIGIBLE, started_on=REGISTERED)
        )
    Assignment.objects.bulk_create(posts, batch_size=1000)
    record(actor=None, changes=[Change("supervisor.demo", "elections.election", election.pk, election.name, election.slug, {"ptps_fiktif": [None, len(posts)]})])

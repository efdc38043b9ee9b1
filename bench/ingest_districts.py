"""Fictitious districts for the ingest benchmarks (bench/ingest_scale.py --districts): Klungkung is
one district, hence one audit partition; voting day's sealing runs in parallel only across
districts. Each extra district is a kota 51.91, 51.92, … with one kecamatan and one kelurahan per
PTPS, loaded through the ordinary services (regions, the district's agencies, accounts, tokens),
one TPS each, with an eligible PTPS who has a login."""

import uuid
from datetime import date


def add_districts(election, extra: int, accounts_each: int) -> list[dict]:
    """Add `extra` districts of `accounts_each` TPS; the credentials of their PTPS (as prepare's)."""
    from sinergi.accounts.districts import setup_district
    from sinergi.accounts.models import Agency, User
    from sinergi.accounts.services import create_token, ensure_user
    from sinergi.regions.services import load_regions
    from sinergi.stations.models import Station
    from sinergi.supervisors.models import Assignment, Supervisor

    clients = []
    for k in range(extra):
        code = f"51.{91 + k}"
        rows = [f"{code},Kota Bench {k + 1},kota,,,bench", f"{code}.01,Bench {k + 1} Tengah,kecamatan,,,bench"]
        rows += [f"{code}.01.{1001 + n},Kelurahan Bench {k + 1}-{n + 1},kelurahan,,,bench" for n in range(accounts_each)]
        load_regions(actor=None, files=[(f"bench-{code}.csv", ("code,name,kind,lat,lon,source\n" + "\n".join(rows) + "\n").encode())])
        setup_district(actor=None, district_code=code)
        for n in range(accounts_each):
            village = f"{code}.01.{1001 + n}"
            station = Station.objects.create(election=election, village_id=village, number=1, voters=250)
            person = Supervisor.objects.create(
                election=election, name=f"PTPS Bench {k + 1}-{n + 1}", nik=f"51{91 + k:02d}{n:012d}", birth_date=date(1990, 1, 1),
                sex=Supervisor.Sex.FEMALE, education=Supervisor.Education.SMA, residence_id=village, registered_on=date(2023, 12, 1),
            )  # fmt: skip
            Assignment.objects.create(
                supervisor=person, election=election, role=Assignment.Role.PTPS, station=station, region_id=village, status=Assignment.Status.ELIGIBLE, started_on=date(2024, 1, 1)
            )
            pkd = Agency.objects.get(kind=Agency.Kind.PKD, region_id=village)
            user = ensure_user(actor=None, username=f"bench-ptps-{station.pk}", agency=pkd, role=User.Role.FIELD, full_name="PTPS (bench)", password=uuid.uuid4().hex)
            Supervisor.objects.filter(pk=person.pk).update(user=user)
            clients.append({"token": create_token(actor=None, user=user, name="bench"), "station_id": station.pk})
    return clients

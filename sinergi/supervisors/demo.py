"""Demo roster: one fictitious PTPS for each of Klungkung's 649 Pemilu 2024 TPS.

Names are obviously invented ("I Made Fiktif 017"), NIKs are made-up numbers shaped like real
ones (regency code, birth date, serial) and marked fictitious; everyone is resident in the TPS's
village, meets every requirement and registered on 2 Jan 2024.
"""

import random
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max

from sinergi.audit.services import Change, record
from sinergi.elections.models import Election
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.stations.demo import CROSSING_BOAT, CROSSING_RORO
from sinergi.stations.models import Station
from sinergi.supervisors import eligibility, incident_demo
from sinergi.supervisors.inauguration import invite
from sinergi.supervisors.models import Assignment, Incident, Invitation, Question, Report, Session, Supervisor, Venue, report_register

ORDER = ("Wayan", "Made", "Nyoman", "Ketut")
REGISTERED = date(2024, 1, 2)


def seed(election: Election) -> int:
    # Form A's checklists came with the election (elections/setup.py).
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
    seed_inauguration(election)
    seed_reports(election)
    seed_field_account(election)
    incident_demo.seed(election)  # after the accounts: the steps name who took them
    return len(stations)


FIELD_ACCOUNT = "ptps-ped17"


def seed_field_account(election: Election) -> None:
    """A demo login for the field app (/lapangan/): the PTPS of Desa Ped's TPS 17."""
    from sinergi.accounts.demo import DEMO_PASSWORD
    from sinergi.accounts.models import Agency, User
    from sinergi.accounts.services import ensure_user

    pkd = Agency.objects.filter(kind=Agency.Kind.PKD, region_id="51.05.01.2010").first()
    post = Assignment.objects.filter(election=election, station__village_id="51.05.01.2010", station__number=17, status__in=Assignment.ACTIVE).select_related("supervisor").first()
    if pkd is None or post is None:
        return
    user = ensure_user(actor=None, username=FIELD_ACCOUNT, agency=pkd, role=User.Role.FIELD, full_name="PTPS TPS 17 Ped (demo)", password=DEMO_PASSWORD)
    Supervisor.objects.filter(pk=post.supervisor_id).update(user=user)


# 22 Jan 2024: the mainland PTPS together at Balai Budaya, Nusa Penida's on the island.
VENUES = [
    # name, region, island, lat, lon, capacity, priority
    ("Balai Budaya Ida Dewa Agung Istri Kanya, Semarapura", "51.05.03", "daratan", -8.5353, 115.4036, 500, 0),
    ("Aula Kantor Camat Nusa Penida, Sampalan (perkiraan)", "51.05.01", CROSSING_RORO, -8.6797, 115.5575, 200, 1),
    ("Balai Desa Jungutbatu, Nusa Lembongan (perkiraan)", "51.05.01.2013", CROSSING_BOAT, -8.6767, 115.4475, 40, 1),
]
INAUGURATION = datetime(2024, 1, 22, 9, 0)


def seed_inauguration(election: Election) -> None:
    """Venues and sessions of 22 Jan 2024, every PTPS invited and present (sworn in)."""
    tz = ZoneInfo(election.time_zone)
    for name, region, island, lat, lon, capacity, priority in VENUES:
        if not Region.objects.filter(code=region).exists():
            region = codes.parent_of(region)
        venue, _ = Venue.objects.get_or_create(
            election=election, name=name, defaults={"region_id": region, "island": island, "latitude": lat, "longitude": lon, "capacity": capacity, "priority": priority}
        )
        Session.objects.get_or_create(venue=venue, starts_at=INAUGURATION.replace(tzinfo=tz))
    invite(actor=None, election=election)
    with transaction.atomic():
        # The demo's attendance in one write (the page records each check-in through the service).
        pending = Invitation.objects.filter(session__venue__election=election, checked_in_at__isnull=True)
        ids = list(pending.values_list("assignment_id", flat=True))
        pending.update(checked_in_at=INAUGURATION.replace(tzinfo=tz) + timedelta(minutes=20))
        Assignment.objects.filter(pk__in=ids).update(status=Assignment.Status.INAUGURATED)
        record(actor=None, changes=[Change("inauguration.demo", "elections.election", election.pk, election.name, election.slug, {"dilantik": [None, len(ids)]})])


def _store(election: Election, people: list[Supervisor], stations: list[Station]) -> None:
    posts = []
    Supervisor.objects.bulk_create(people, batch_size=1000)
    for person, station in zip(people, stations, strict=True):
        posts.append(
            Assignment(supervisor=person, election=election, role=Assignment.Role.PTPS, station=station, region_id=station.village_id, status=Assignment.Status.ELIGIBLE, started_on=REGISTERED)
        )
    Assignment.objects.bulk_create(posts, batch_size=1000)
    record(actor=None, changes=[Change("supervisor.demo", "elections.election", election.pk, election.name, election.slug, {"ptps_fiktif": [None, len(posts)]})])


VOTING_DAY_INCIDENTS = [
    # village, TPS, category, severity, time, description
    ("51.05.01.2010", 17, "intimidasi", "tinggi", (9, 15), "Sekelompok warga banjar menghalangi 17 pemilih yang terkena sanksi adat; Bhabinkamtibmas dan PKD menengahi."),
    ("51.05.01.2010", 18, "intimidasi", "sedang", (9, 40), "Pemilih yang terkena sanksi adat diminta pulang; pemungutan suara berlanjut setelah mediasi."),
    ("51.05.04.2012", 3, "bencana", "sedang", (11, 5), "Hujan deras, tenda TPS bocor; bilik dipindah ke bale banjar."),
    ("51.05.03.1008", 2, "logistik", "rendah", (7, 10), "Surat suara DPRD kabupaten kurang 3 lembar; dilaporkan ke PPS."),
]


def seed_reports(election: Election) -> int:
    """Simulated voting-day reports (14 Feb 2024) for part of the district: most TPS report the
    preparation by 07.30, some late, some not at all; voting for about 60%; counting for a quarter;
    and four incidents, the Ped adat case among them."""
    if election.slug != "pemilu-2024" or Report.objects.filter(election=election).exists():
        return 0
    tz = ZoneInfo(election.time_zone)
    rng = random.Random(14)
    stations = list(Station.objects.filter(election=election).order_by("village_id", "number"))
    day = election.voting_date

    def at(hour: int, minute: int) -> datetime:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)

    answers = {
        Question.Stage.PREPARATION: {"kotak_tersegel": True, "logistik_lengkap": True, "dpt_ditempel": True, "kpps_hadir": 7},
        Question.Stage.VOTING: {"dibuka_tepat_waktu": True, "saksi_hadir": 4, "pemilih_tidak_berhak": False, "intimidasi": False},
        Question.Stage.COUNTING: {"penghitungan_terbuka": True, "keberatan_saksi": False},
    }
    reports = []
    for station in stations:
        roll = rng.random()
        if roll < 0.85:
            observed = at(6, 40) + timedelta(minutes=rng.randint(0, 45))
        elif roll < 0.91:
            observed = at(7, 35) + timedelta(minutes=rng.randint(0, 35))
        else:
            continue  # no preparation report: the board's alert
        reports.append((station, Question.Stage.PREPARATION, observed))
        if rng.random() < 0.6:
            reports.append((station, Question.Stage.VOTING, at(11, 0) + timedelta(minutes=rng.randint(0, 120))))
        if rng.random() < 0.25:
            reports.append((station, Question.Stage.COUNTING, at(15, 0) + timedelta(minutes=rng.randint(0, 120))))
    rows = [
        Report(election=election, station=s, stage=stage, client_id=uuid.UUID(int=rng.getrandbits(128), version=4), answers=answers[stage], observed_at=when, via=Report.Via.APP, audited=True)
        for s, stage, when in reports
    ]
    # Numbered as sealing numbers live reports (supervisors/sealing.py), in the order they were observed.
    highest: dict[str, int] = {}
    for row in sorted(rows, key=lambda r: r.observed_at):
        row.register = report_register(row.station.village_id, row.observed_at, election.time_zone)
        if row.register not in highest:
            highest[row.register] = Report.objects.filter(register=row.register).aggregate(m=Max("serial"))["m"] or 0
        highest[row.register] += 1
        row.serial = highest[row.register]
    by_key = {(s.village_id, s.number): s for s in stations}
    incidents = [
        Incident(election=election, station=by_key[(village, number)], client_id=uuid.UUID(int=rng.getrandbits(128), version=4), category=category, severity=severity, occurred_at=at(*hm), description=text, via=Report.Via.APP, audited=True)
        for village, number, category, severity, hm, text in VOTING_DAY_INCIDENTS
        if (village, number) in by_key
    ]
    with transaction.atomic():
        # One audit event for the whole simulated day (below), so the rows are marked audited.
        Report.objects.bulk_create(rows, batch_size=1000)
        Incident.objects.bulk_create(incidents)
        record(actor=None, changes=[Change("report.demo", "elections.election", election.pk, election.name, election.slug, {"laporan": [None, len(rows)], "kejadian": [None, len(incidents)]})])
    return len(rows)

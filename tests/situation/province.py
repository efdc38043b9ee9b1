"""A small province for the roll-up tests, beside the demo's Klungkung (51.05): an invented second
district of Bali, Kabupaten Rekaan Barat (51.09, two kecamatan, five TPS), and an invented district
of another province (52.01 in Nusa Tenggara Barat, one TPS); the province bodies of Bali come from
the demo (accounts/demo.py); NTB's Bawaslu Provinsi and the national bodies are made here.

Its voting day, counted by hand at `MOMENT` (14.00 WITA: Form A "pemungutan" is due):

| 51.09            | Pantai (51.09.01)           | Bukit (51.09.02)         | district |
|------------------|-----------------------------|--------------------------|----------|
| TPS, voters      | 3, 600                      | 2, 200                   | 5, 800   |
| Form A reported  | TPS 1 (twice), TPS 2        | TPS 1                    | 3; 2 late |
| incidents (high) | 1 (0)                       | 1 (1)                    | 2 (1)    |
| posts, police, Linmas | 2, 4, 8                | 1, 2, 2                  | 3, 6, 10 |
| personnel        | 3 (short 1)                 | 5 (short 0)              | 8, short 1 |
| logistics        | delivered; delivered with an open discrepancy; dispatched | planned; none | 1 complete, 2 partial, 2 missing, 1 discrepancy |
| open cases       | 1, overdue                  | —                        | 1, 1 overdue |
"""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sinergi.accounts.districts import setup_district
from sinergi.accounts.models import Agency, User
from sinergi.accounts.services import ensure_agency, ensure_user
from sinergi.cases.models import Case
from sinergi.cases.services import file_public_report
from sinergi.elections.models import Election
from sinergi.guard.models import GuardPost, PolsekPersonnel
from sinergi.logistics.models import Consignment, Discrepancy, Handover
from sinergi.regions.models import Region
from sinergi.stations.models import Station
from sinergi.supervisors.models import Incident
from sinergi.supervisors.reports import submit_incident, submit_report
from tests.personas import PASSWORD

WITA = ZoneInfo("Asia/Makassar")
REKAAN = "51.09"
PANTAI, BUKIT = "51.09.01", "51.09.02"
NTB_DISTRICT = "52.01"
# Users (password tests.personas.PASSWORD): Bali's come from the demo.
BAWASLU_BALI, POLDA_BALI, KPU_BALI = "bawaslu-bali", "polda-bali", "kpu-bali"
BAWASLU_NTB, BAWASLU_RI, POLRI = "bawaslu-ntb", "bawaslu-ri", "polri-mabes"
ANSWERS = {"dibuka_tepat_waktu": True, "saksi_hadir": 4, "pemilih_tidak_berhak": False, "intimidasi": False}


def moment(election: Election) -> datetime:
    return datetime.combine(election.voting_date, datetime.min.time(), WITA).replace(hour=14)


def _region(code: str, name: str, kind: str, level: int) -> Region:
    parent = code.rsplit(".", 1)[0] if "." in code else None
    return Region.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "level": level, "parent_id": parent})[0]


def add_district(election: Election, district: str, name: str, per_kecamatan: list[int], *, province: tuple[str, str] | None = None) -> dict[str, list[Station]]:
    """A district with one village per kecamatan and `per_kecamatan[i]` TPS of 200 voters in the
    i-th (`province`: code and name, when the province is not loaded yet); its agencies through
    `setup_district`. Returns the TPS per kecamatan code."""
    if province:
        _region(province[0], province[1], Region.Kind.PROVINSI, 1)
    _region(district, name, Region.Kind.KABUPATEN, 2)
    stations = {}
    for index, count in enumerate(per_kecamatan, start=1):
        kecamatan = _region(f"{district}.{index:02d}", f"{name} {index}", Region.Kind.KECAMATAN, 3)
        village = _region(f"{kecamatan.code}.2001", f"Desa {name} {index}", Region.Kind.DESA, 4)
        stations[kecamatan.code] = [Station.objects.create(election=election, village=village, number=n, voters=200) for n in range(1, count + 1)]
    setup_district(actor=None, district_code=district)
    return stations


def build(election: Election) -> dict[str, list[Station]]:
    """The fixture of the module docstring, on `election` (Pemilu 2024)."""
    stations = add_district(election, REKAAN, "Rekaan Barat", [3, 2])
    pantai, bukit = stations[PANTAI], stations[BUKIT]
    for tps in bukit:
        tps.voters = 100
        tps.save(update_fields=["voters"])
    ntb = add_district(election, NTB_DISTRICT, "Rekaan Timur", [1], province=("52", "Nusa Tenggara Barat"))
    now = moment(election)
    # Form A of the stage due (TPS 1 of Pantai twice: one TPS), and incidents.
    for tps, minute in ((pantai[0], 0), (pantai[0], 5), (pantai[1], 10), (bukit[0], 15), (ntb["52.01.01"][0], 20)):
        submit_report(actor=None, station=tps, stage="pemungutan", client_id=uuid.uuid4(), answers=ANSWERS, narrative="", observed_at=now.replace(hour=12, minute=minute))
    for tps, severity in ((pantai[2], Incident.Severity.LOW), (bukit[1], Incident.Severity.HIGH)):
        submit_incident(actor=None, station=tps, client_id=uuid.uuid4(), category="intimidasi", severity=severity, occurred_at=now.replace(hour=11), description="Keributan (contoh)")
    # Guard posts fixed, and the Polsek's personnel.
    polsek = {a.region_id: a for a in Agency.objects.filter(kind=Agency.Kind.POLSEK, region_id__in=[PANTAI, BUKIT])}
    for number, (kecamatan, police, linmas) in enumerate(((PANTAI, 2, 4), (PANTAI, 2, 4), (BUKIT, 2, 2)), start=1):
        GuardPost.objects.create(
            election=election, polsek=polsek[kecamatan], code=f"REKAAN-{number}", number=number, level="rawan", station_key=f"rekaan-{number}", police=police, linmas=linmas, fixed_at=now
        )
    PolsekPersonnel.objects.create(election=election, agency=polsek[PANTAI], available=3, reinforcements=0)
    PolsekPersonnel.objects.create(election=election, agency=polsek[BUKIT], available=4, reinforcements=1)
    # Logistics: outbound consignments in each state of the board.
    states = [(pantai[0], Consignment.State.DELIVERED), (pantai[1], Consignment.State.DELIVERED), (pantai[2], Consignment.State.DISPATCHED), (bukit[0], Consignment.State.PLANNED)]
    for tps, state in states:
        consignment = Consignment.objects.create(election=election, station=tps, state=state, holder=f"kpps:{tps.pk}")
        if tps == pantai[1]:
            handover = Handover.objects.create(
                consignment=consignment, sequence=1, from_party="kpu:51.09", to_party=f"kpps:{tps.pk}", place="TPS", handed_at=now.replace(hour=6), counts={}, giver_name="A", receiver_name="B"
            )
            Discrepancy.objects.create(handover=handover, kind="kurang", item_code="surat_suara", quantity=3)
    # An open case, filed long before voting day (its first deadline has passed), and one in NTB.
    facts = {
        "reporter_name": "Pelapor Contoh",
        "reporter_address": "Rekaan",
        "reported_party": "Oknum (contoh)",
        "occurred_on": date(2024, 1, 20),
        "occurred_place": "Desa Rekaan",
        "known_on": date(2024, 1, 21),
        "description": "Contoh laporan dugaan pelanggaran.",
        "witnesses": [],
    }
    for region in (f"{PANTAI}.2001", "52.01.01.2001"):
        file_public_report(election=election, source=Case.Source.VOTER, region_code=region, facts=facts, at=datetime(2024, 1, 22, 9, tzinfo=WITA))
    # The other province's Bawaslu and the national bodies, with an account each.
    ntb_agency = ensure_agency(actor=None, slug="bawaslu-provinsi-ntb", kind=Agency.Kind.BAWASLU_PROVINSI, name="Bawaslu Provinsi Nusa Tenggara Barat", region_code="52")
    ensure_user(actor=None, username=BAWASLU_NTB, agency=ntb_agency, role=User.Role.STAFF, full_name="Staf Bawaslu NTB", password=PASSWORD)
    for username, slug, kind, name in ((BAWASLU_RI, "bawaslu-ri", Agency.Kind.BAWASLU_RI, "Bawaslu RI"), (POLRI, "polri", Agency.Kind.POLRI, "Polri (Mabes)")):
        agency = ensure_agency(actor=None, slug=slug, kind=kind, name=name, region_code=None)
        ensure_user(actor=None, username=username, agency=agency, role=User.Role.STAFF, full_name=name, password=PASSWORD)
    return stations


def queries_of(client, url: str) -> int:
    """The queries of a page once warm (its second request), the page answering 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)

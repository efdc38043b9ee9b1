import uuid
from datetime import datetime

import pytest

from sinergi.stations.models import Station
from sinergi.supervisors.reports import submit_incident, submit_report

NUSA_PENIDA = "51.05.01"
ANSWERS = {
    "persiapan": {"kotak_tersegel": True, "logistik_lengkap": True, "dpt_ditempel": True, "kpps_hadir": 7},
    "pemungutan": {"dibuka_tepat_waktu": True, "saksi_hadir": 4, "pemilih_tidak_berhak": False, "intimidasi": False},
}


def at(election, hhmm: str) -> datetime:
    """A local moment on the election's voting day."""
    return datetime.fromisoformat(f"{election.voting_date}T{hhmm}+08:00")


def file_report(station: Station, stage: str, observed_at: datetime):
    return submit_report(actor=None, station=station, stage=stage, client_id=uuid.uuid4(), answers=ANSWERS[stage], narrative="", observed_at=observed_at)[0]


def file_incident(actor, station: Station, severity: str, occurred_at: datetime, description: str = "Keributan di depan TPS"):
    return submit_incident(actor=actor, station=station, client_id=uuid.uuid4(), category="intimidasi", severity=severity, occurred_at=occurred_at, description=description)[0]


@pytest.fixture
def pilkada_stations(pilkada):
    """Pilkada 2024's demo TPS: no report, incident or consignment yet (the demo day is Pemilu's)."""
    return list(Station.objects.filter(election=pilkada).select_related("village").order_by("village_id", "number"))


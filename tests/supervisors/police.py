"""What the police-read tests share (test_police_read.py, test_police_concerns.py): the board's
address, the kecamatan, the narrative that names a person, and small readers of the demo's TPS.
Their fixtures (`reported17`, `np_guards_dawan`) are in conftest.py."""

from datetime import datetime

from sinergi.stations.models import Station
from sinergi.supervisors.checklists import save_question
from sinergi.supervisors.models import Assignment, Question, Supervisor
from tests import personas

SLUG = "pemilu-2024"
BOARD = f"/pemilihan/{SLUG}/pengawasan/"
NUSA_PENIDA, BANJARANGKAN, DAWAN = "51.05.01", "51.05.02", "51.05.04"
NARRATIVE = "Saksi I Made Contohnama menolak menandatangani"
POLICE = [personas.POLRES, personas.POLSEK_NUSA_PENIDA]


def status_url(station: Station) -> str:
    return f"/pemilihan/{SLUG}/pengawasan/tps/{station.pk}/"


def tps(pemilu, village: str, number: int) -> Station:
    return Station.objects.select_related("village").get(election=pemilu, village_id=village, number=number)


def first_tps_of(pemilu, kecamatan: str) -> Station:
    return Station.objects.filter(election=pemilu, village__code__startswith=kecamatan + ".").order_by("village_id", "number").first()


def in_area(pemilu, *kecamatan: str) -> set[int]:
    return {s.pk for k in kecamatan for s in Station.objects.filter(election=pemilu, village__code__startswith=k + ".")}


def at(pemilu, hhmm):
    return datetime.fromisoformat(f"{pemilu.voting_date}T{hhmm}+08:00")


def personal_data_of(stations) -> tuple[list[str], list[str]]:
    """The NIK and the full phone numbers of the PTPS of `stations`."""
    people = Supervisor.objects.filter(assignments__station__in=stations, assignments__role=Assignment.Role.PTPS).distinct()
    return [p.nik for p in people], [p.phone for p in people if p.phone]


def mark_for_police(actor, question: Question) -> None:
    """Bawaslu marks `question` as one the police read (the question page's security box)."""
    save_question(
        actor=actor, election=question.election, stage=question.stage, code=question.code, text=question.text, kind=question.kind,
        required=question.required, order=question.order, security=True,
    )  # fmt: skip

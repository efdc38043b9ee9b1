"""A TPS page shows everything Sinergi knows of it — its PTPS, vulnerability indicators, police
class and guard post, logistics and custody, Form A reports and incidents, cases — each section
only to an agency that may see that part, in a fixed number of queries."""

import uuid
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.models import Agency
from sinergi.accounts.services import ensure_user
from sinergi.cases.services import finding_from_incident
from sinergi.logistics.custody import Reported, create_consignments, dispatch, record_handover
from sinergi.logistics.models import Consignment
from sinergi.stations.models import Station
from sinergi.supervisors.contact import mask_phone, tel_uri
from sinergi.supervisors.models import Assignment, Incident
from sinergi.supervisors.reports import submit_incident
from tests import personas
from tests.situation.conftest import file_report

PED = "51.05.01.2010"
SECTIONS = ("tps-ptps", "tps-indicators", "tps-guard", "tps-logistics", "tps-reports", "tps-cases")
# persona -> sections shown
SHARES = {
    personas.BAWASLU: set(SECTIONS),
    personas.PANWASCAM_NUSA_PENIDA: {"tps-ptps", "tps-indicators", "tps-reports", "tps-cases"},
    # The police read the voting day without personal data (PTPS phone masked, no Form A PDF).
    personas.POLRES: {"tps-ptps", "tps-indicators", "tps-guard", "tps-logistics", "tps-reports", "tps-cases"},
    personas.POLSEK_NUSA_PENIDA: {"tps-ptps", "tps-indicators", "tps-guard", "tps-logistics", "tps-reports"},
    personas.KPU: {"tps-indicators", "tps-logistics"},
    personas.JAKSA: {"tps-indicators", "tps-cases"},
}


@pytest.fixture
def ped17(pemilu, user_of):
    """TPS 17 Ped with a kit handed over to the PPS with a shortfall, and a finding made from its
    high-severity incident (the demo's reports, incident, checklist and PTPS are already there)."""
    station = Station.objects.get(election=pemilu, village_id=PED, number=17)
    kpu = user_of(personas.KPU)
    create_consignments(actor=kpu, election=pemilu)
    kit = Consignment.objects.get(station=station, direction="keluar")
    dispatch(actor=kpu, consignment=kit, seals=["KLK-17"])
    fields = {"place": "Kantor Desa Ped", "giver_name": "I Made", "receiver_name": "Ni Kadek"}
    record_handover(
        actor=kpu, consignment=kit, from_party="kpu:51.05", to_party=f"pps:{PED}", reported=[Reported("kurang", "surat-suara-dpr", 3, "")], **fields
    )
    incident = Incident.objects.filter(station=station, severity="tinggi").first()
    finding_from_incident(actor=user_of(personas.BAWASLU), incident=incident)
    return station


def url(station):
    return f"/pemilihan/pemilu-2024/tps/{station.pk}/"


@pytest.mark.django_db
@pytest.mark.parametrize("username", list(SHARES))
def test_each_agency_sees_the_sections_of_its_share(client_of, ped17, username):
    page = client_of(username).get(url(ped17))
    assert page.status_code == 200
    shown = {section for section in SECTIONS if f'data-testid="{section}"' in page.text}
    assert shown == SHARES[username]
    person = Assignment.objects.select_related("supervisor").get(station=ped17, role="ptps", status__in=Assignment.ACTIVE).supervisor
    assert (person.name in page.text) == ("tps-ptps" in shown)
    assert (f'href="{tel_uri(person.phone)}"' in page.text) == (username == personas.BAWASLU)  # the number to call: Bawaslu only
    assert person.phone not in page.text or username == personas.BAWASLU
    assert ("kurang 3 surat-suara-dpr" in page.text.lower()) == ("tps-logistics" in shown)
    assert ("Sangat rawan" in page.text or "Rawan" in page.text or "Kurang rawan" in page.text or "Khusus" in page.text) == ("tps-guard" in shown)


@pytest.mark.django_db
def test_bawaslu_sees_everything_sinergi_knows_of_tps_17_ped(client_of, pemilu, ped17):
    page = client_of(personas.BAWASLU).get(url(ped17))
    profile = page.context["profile"]
    person = Assignment.objects.select_related("supervisor").get(station=ped17, role="ptps", status__in=Assignment.ACTIVE).supervisor
    assert profile.ptps.name == person.name and profile.ptps.tel == tel_uri(person.phone)
    assert {a.indicator.code for a in profile.indicators} == {"2.2", "1.1", "6.4"}  # the demo checklist
    assert profile.police_class and profile.guard_post and ped17.pk not in [sid for sid, _label in profile.guard_post.together]
    assert [c.direction for c in profile.consignments] == ["keluar"]
    assert [(h.from_label, h.to_label) for h in profile.consignments[0].handovers.all()] == [("KPU Klungkung", "PPS Ped")]
    assert profile.reports and all(r.pk for r in profile.reports)
    assert any(i.severity == "tinggi" for i in profile.incidents)
    assert len(profile.cases) == 1 and profile.cases[0].incident.station_id == ped17.pk
    assert f"/pemilihan/pemilu-2024/perkara/{profile.cases[0].pk}/" in page.text


@pytest.mark.django_db
def test_the_panwascam_sees_the_ptps_masked_and_another_kecamatan_gets_404(client_of, ped17):
    page = client_of(personas.PANWASCAM_NUSA_PENIDA).get(url(ped17))
    person = Assignment.objects.select_related("supervisor").get(station=ped17, role="ptps", status__in=Assignment.ACTIVE).supervisor
    assert mask_phone(person.phone) in page.text and "tel:" not in page.text
    ensure_user(
        actor=None,
        username="panwascam-dawan",
        agency=Agency.objects.get(kind="bawaslu"),
        role="staff",
        full_name="Dawan",
        password="x" * 12,
        area_code="51.05.04",
    )
    assert client_of("panwascam-dawan").get(url(ped17)).status_code == 404


@pytest.mark.django_db
def test_the_page_does_not_grow_with_what_the_tps_holds(client_of, user_of, pemilu, ped17):
    client = client_of(personas.BAWASLU)
    client.get(url(ped17))  # session warm

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(ped17)).status_code == 200
        return len(captured.captured_queries)

    kit = Consignment.objects.get(station=ped17, direction="keluar")
    record_handover(
        actor=user_of(personas.KPU),
        consignment=kit,
        from_party=f"pps:{PED}",
        to_party=f"kpps:{ped17.pk}",
        place="TPS 17",
        giver_name="A",
        receiver_name="B",
        reported=[Reported("rusak", "surat-suara-dpd", 1, "")],
    )
    before = queries()
    moment = datetime.fromisoformat("2024-02-14T15:00+08:00")
    for _ in range(3):
        file_report(ped17, "persiapan", moment)
        incident, _created = submit_incident(
            actor=user_of(personas.BAWASLU_STAFF),
            station=ped17,
            client_id=uuid.uuid4(),
            category="intimidasi",
            severity="sedang",
            occurred_at=moment,
            description="Uji",
        )
        finding_from_incident(actor=user_of(personas.BAWASLU), incident=incident)
    after = queries()
    page = client.get(url(ped17)).context["profile"]
    assert len(page.cases) == 4 and len(page.incidents) >= 4 and len(page.consignments[0].handovers.all()) == 2
    assert after == before <= 27, (before, after)  # 26 on SQLite for Bawaslu (with the header's notifications count, the incidents' state)

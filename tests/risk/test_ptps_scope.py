"""A PTPS watches one TPS: it reads and writes the checklist and reports of the TPS of its active
post, not those of the other TPS of its village (which its PKD sees)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from sinergi.accounts.models import ApiToken
from sinergi.accounts.services import create_token
from sinergi.risk.models import ChecklistAnswer
from sinergi.risk.services import import_checklists, submit_checklist
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to
from tests import personas

OPEN_DAY = date(2024, 2, 5)  # inside Pemilu 2024's collection stage


@pytest.fixture
def ped(pemilu):
    """TPS 17 (the PTPS's own) and TPS 1 (another TPS of the same village, Desa Ped)."""
    return (Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17), Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=1))


@pytest.mark.django_db
def test_a_ptps_sees_only_the_tps_of_its_post(ptps, pemilu, ped, user_of):
    own, other = ped
    assert list(stations_visible_to(ptps, pemilu)) == [own]
    # Its PKD (the same village's supervisors) still sees every TPS of the village.
    pkd_staff = user_of(personas.PTPS_PED)
    pkd_staff.role = "staff"
    assert other in stations_visible_to(pkd_staff, pemilu)


@pytest.mark.django_db
def test_a_ptps_without_an_active_post_sees_no_tps(user_of, pemilu):
    assert not stations_visible_to(user_of(personas.PTPS_PED), pemilu).exists()


@pytest.mark.django_db
def test_another_tps_of_the_village_is_not_found_on_its_pages(ptps, ped, client_of):
    own, other = ped
    client = client_of(personas.PTPS_PED)
    for suffix in ("rawan/", "laporan/"):
        assert client.get(f"/pemilihan/pemilu-2024/tps/{own.pk}/{suffix}").status_code == 200, suffix
        assert client.get(f"/pemilihan/pemilu-2024/tps/{other.pk}/{suffix}").status_code == 404, suffix
    assert client.post(f"/pemilihan/pemilu-2024/tps/{other.pk}/rawan/", {"present_6.1": "on"}).status_code == 404


@pytest.mark.django_db
def test_the_service_refuses_writing_another_tps_checklist_inside_the_window(ptps, ped):
    own, other = ped
    with pytest.raises(PermissionDenied, match="di luar wilayah Anda"):
        submit_checklist(actor=ptps, station=other, answers={"6.1": (True, "")}, today=OPEN_DAY)
    assert not ChecklistAnswer.objects.filter(station=other, indicator__code="6.1", present=True).exists()
    submit_checklist(actor=ptps, station=own, answers={"6.1": (True, "Posko")}, today=OPEN_DAY)
    assert ChecklistAnswer.objects.get(station=own, indicator__code="6.1").note == "Posko"


@pytest.mark.django_db
def test_the_upload_names_another_tps_as_not_theirs(ptps, pemilu):
    from sinergi.core.tabular import InputRejected, read_table

    table = read_table("rawan.csv", b"kode_desa,nomor_tps,6.1\n51.05.01.2010,17,ya\n51.05.01.2010,1,ya\n")
    with pytest.raises(InputRejected, match="Baris 3, kolom 'nomor_tps': TPS 1 desa 51.05.01.2010 tidak ada"):
        import_checklists(actor=ptps, election=pemilu, table=table, today=OPEN_DAY)


@pytest.mark.django_db
def test_the_api_answers_404_for_another_tps(ptps, ped):
    own, other = ped
    secret = create_token(actor=None, user=ptps, name="hp")
    assert ApiToken.objects.filter(user=ptps).exists()
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get(f"/api/v1/risk/checklists/{own.pk}").status_code == 200
    assert client.get(f"/api/v1/risk/checklists/{other.pk}").status_code == 404
    written = client.post(f"/api/v1/risk/checklists/{other.pk}", {"answers": [{"code": "6.1", "present": True}]}, content_type="application/json")
    assert written.status_code == 404

"""The stage-dates page: the deployment administrator (a superuser: `Perm.MANAGE_ELECTIONS`) adjusts
an election's calendar; agency users, administrators included, are refused; every change audited."""

from datetime import date, timedelta

import pytest
from django.test import Client

from sinergi.audit.models import AuditEvent
from sinergi.elections.models import Stage
from tests import personas

URL = "/pemilihan/pilkada-2024/tahapan/"


@pytest.fixture
def admin(django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("admin-penyebaran", password="x" * 12))
    return client


def posted(election, **moved: tuple[date, date]) -> dict:
    """The form as the page sends it: every stage's dates, `moved` ones changed."""
    data = {}
    for stage in election.stages.all():
        start, end = moved.get(stage.code.replace("-", "_"), (stage.starts_on, stage.ends_on))
        data[f"{stage.code}-mulai"], data[f"{stage.code}-selesai"] = start.isoformat(), end.isoformat()
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username", [personas.BAWASLU, personas.BAWASLU_STAFF, personas.KPU, personas.POLRES, personas.PANWASCAM_NUSA_PENIDA, personas.NO_AGENCY]
)
def test_agency_users_may_neither_open_nor_post_the_page(client_of, pilkada, username):
    client = client_of(username)
    assert client.get(URL).status_code == 403
    response = client.post(URL, posted(pilkada, masa_tenang=(date(2024, 11, 20), date(2024, 11, 26))))
    assert response.status_code == 403
    assert pilkada.stages.get(code="masa-tenang").starts_on == date(2024, 11, 24)
    assert "Ubah tanggal tahapan" not in client.get("/pemilihan/pilkada-2024/").text


@pytest.mark.django_db
def test_the_page_lists_every_stage_in_the_elections_zone(admin, pilkada):
    response = admin.get(URL)
    assert response.status_code == 200
    for stage in pilkada.stages.all():
        assert f'name="{stage.code}-mulai"' in response.text and f'value="{stage.starts_on.isoformat()}"' in response.text
    assert "WITA (Asia/Makassar)" in response.text
    overview = admin.get("/pemilihan/pilkada-2024/")
    assert 'href="/pemilihan/pilkada-2024/tahapan/"' in overview.text


@pytest.mark.django_db
def test_the_administrator_moves_a_stage_and_it_is_audited(admin, pilkada):
    window = (date(2024, 11, 8), date(2024, 11, 16))
    response = admin.post(URL, posted(pilkada, pemetaan_tps_rawan=window))
    assert response.status_code == 302 and response["Location"] == "/pemilihan/pilkada-2024/"
    stage = pilkada.stages.get(code="pemetaan-tps-rawan")
    assert (stage.starts_on, stage.ends_on) == window
    event = AuditEvent.objects.filter(action="stage.dates").latest("id")
    assert (event.actor_username, event.election, event.object_id) == ("admin-penyebaran", "pilkada-2024", str(stage.pk))
    assert event.changes == {"mulai": ["2024-11-10", "2024-11-08"], "selesai": ["2024-11-15", "2024-11-16"]}
    # Only the stage that changed has an event.
    assert AuditEvent.objects.filter(action="stage.dates").count() == 1


@pytest.mark.django_db
def test_saving_unchanged_dates_writes_no_event(admin, pilkada):
    events = AuditEvent.objects.count()
    assert admin.post(URL, posted(pilkada)).status_code == 302
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moved", "message"),
    [
        ({"masa_tenang": (date(2024, 11, 26), date(2024, 11, 24))}, "Masa tenang: selesai: Tanggal selesai harus sama dengan atau sesudah tanggal mulai."),
        ({"pemungutan_suara": (date(2024, 11, 28), date(2024, 11, 28))}, "harus memuat hari pemungutan suara 27-11-2024"),
        ({"kampanye": (date(1999, 9, 25), date(2024, 11, 23))}, "Tahapan &#x27;Masa kampanye&#x27;: tahun 1999 di luar 2000–2100."),
    ],
)
def test_a_bad_calendar_is_refused_whole(admin, pilkada, moved, message):
    before = list(Stage.objects.filter(election=pilkada).values_list("code", "starts_on", "ends_on"))
    events = AuditEvent.objects.count()
    data = posted(pilkada, **moved)
    data["rekapitulasi-selesai"] = (date(2024, 12, 16) + timedelta(days=3)).isoformat()  # a good change in the same form
    response = admin.post(URL, data)
    assert response.status_code == 400
    assert message in response.text
    assert list(Stage.objects.filter(election=pilkada).values_list("code", "starts_on", "ends_on")) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_form_missing_a_stage_is_refused(admin, pilkada):
    data = posted(pilkada)
    del data["kampanye-mulai"]
    response = admin.post(URL, data)
    assert response.status_code == 400 and "Masa kampanye: mulai" in response.text
    assert admin.get("/pemilihan/tidak-ada/tahapan/").status_code == 404

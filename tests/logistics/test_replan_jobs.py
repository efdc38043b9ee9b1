"""Re-planning the distribution from the page runs as a background task (core/jobs.py,
logistics/tasks.py): the request only queues it and leads to the job's status page, which the
asker's agency follows until the plan is stored. Tests use the immediate task backend: the task
runs when the request's transaction commits (django_capture_on_commit_callbacks)."""

import pytest

from sinergi.accounts.models import Agency, User
from sinergi.accounts.services import ensure_agency, ensure_user
from sinergi.audit.models import AuditEvent
from sinergi.core.models import Job
from sinergi.logistics.models import DistributionPlan, Place
from sinergi.regions.models import Region
from tests import personas

PAGE = "/pemilihan/pemilu-2024/logistik/distribusi/"
KPU_BADUNG = "kpu-badung-tugas"


@pytest.fixture
def kpu_badung(db) -> str:
    """The KPU of another district (Badung), with the same permissions in its own area."""
    Region.objects.get_or_create(code="51.03", defaults={"name": "Badung", "kind": Region.Kind.KABUPATEN, "parent_id": "51", "level": 2})
    badung = ensure_agency(actor=None, slug="kpu-badung", kind=Agency.Kind.KPU, name="KPU Badung", region_code="51.03")
    ensure_user(actor=None, username=KPU_BADUNG, agency=badung, role=User.Role.ADMIN, full_name="KPU Badung", password=personas.PASSWORD)
    return KPU_BADUNG


def replan(client, reason: str = "Uji penyusunan ulang"):
    return client.post(PAGE, {"replan": "1", "reason": reason, "confirm": "1"})


@pytest.mark.django_db
def test_the_page_queues_the_replan_and_the_status_page_shows_it_done(client_of, pemilu, django_capture_on_commit_callbacks):
    plans = DistributionPlan.objects.filter(election=pemilu).count()
    kpu = client_of(personas.KPU)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answer = replan(kpu)
    job = Job.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/pemilihan/pemilu-2024/pekerjaan/{job.pk}/"
    assert len(queued) == 1 and job.status == Job.Status.QUEUED and job.created_by.username == personas.KPU and job.kind == "logistics.replan"
    assert DistributionPlan.objects.filter(election=pemilu).count() == plans  # nothing computed in the request
    waiting = kpu.get(answer["Location"])
    assert waiting.status_code == 200 and "Menunggu giliran" in waiting.text and 'hx-trigger="every 2s"' in waiting.text
    banner = kpu.get(PAGE)
    assert f'id="job-{job.pk}"' in banner.text and banner.context["replans"] == [job]

    queued[0]()  # the commit: the immediate backend runs the task here

    job.refresh_from_db()
    plan = DistributionPlan.objects.filter(election=pemilu).first()
    assert job.status == Job.Status.DONE and job.started_at and job.finished_at and job.result["plan"] == plan.pk
    assert plan.reason == "Uji penyusunan ulang" and plan.created_by.username == personas.KPU and plans + 1 == DistributionPlan.objects.filter(election=pemilu).count()
    event = AuditEvent.objects.filter(action="distribution_plan.create").latest("pk")
    assert event.actor.username == personas.KPU and event.object_id == str(plan.pk)
    done = kpu.get(answer["Location"])
    assert "Sudah selesai" in done.text and f"{len(plan.data['convoys'])} konvoi" in done.text and 'hx-trigger' not in done.text
    fragment = kpu.get(answer["Location"], headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith("<section") and 'data-status="selesai"' in fragment.text and "<html" not in fragment.text
    assert kpu.get(PAGE).context["replans"] == []


@pytest.mark.django_db
def test_closing_a_crossing_is_immediate_and_the_replan_follows_as_a_job(client_of, pemilu, django_capture_on_commit_callbacks):
    kpu = client_of(personas.KPU)
    crossing = kpu.get(PAGE).context["crossings"][0]
    closing = {"close": "1", "crossing": str(crossing.pk), "starts_at": "2024-02-11T00:00", "ends_at": "2024-02-12T00:00", "reason": "Gelombang tinggi", "confirm": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        answer = kpu.post(PAGE, closing, follow=True)
    assert answer.status_code == 200 and "Rencana distribusi sedang disusun ulang." in answer.text
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and "Gelombang tinggi" in DistributionPlan.objects.get(pk=job.result["plan"]).reason
    assert AuditEvent.objects.filter(action="crossing.close").exists()


@pytest.mark.django_db
def test_a_failed_replan_shows_its_reason_in_indonesian(client_of, pemilu, django_capture_on_commit_callbacks):
    plans = DistributionPlan.objects.filter(election=pemilu).count()
    Place.objects.filter(election=pemilu, kind=Place.Kind.WAREHOUSE).update(kind=Place.Kind.STORE)  # the network lost its warehouse
    kpu = client_of(personas.KPU)
    with django_capture_on_commit_callbacks(execute=True):
        answer = replan(kpu)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and "belum punya gudang KPU" in job.error
    page = kpu.get(answer["Location"])
    assert page.status_code == 200 and 'role="alert"' in page.text and "Gagal" in page.text
    assert f"Jaringan distribusi Klungkung ({pemilu.name}) belum punya gudang KPU." in page.text and 'hx-trigger' not in page.text
    assert DistributionPlan.objects.filter(election=pemilu).count() == plans


@pytest.mark.django_db
def test_an_unexpected_error_is_shown_without_its_details(client_of, pemilu, django_capture_on_commit_callbacks, monkeypatch):
    from sinergi.logistics import distribution

    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded: /srv/secret/path")

    monkeypatch.setattr(distribution, "make_plan", broken)
    kpu = client_of(personas.KPU)
    with django_capture_on_commit_callbacks(execute=True):
        answer = replan(kpu)
    page = kpu.get(answer["Location"])
    assert Job.objects.get().status == Job.Status.FAILED
    assert "Pekerjaan gagal karena kesalahan sistem" in page.text and "exploded" not in page.text


@pytest.mark.django_db
def test_a_deactivated_asker_s_job_fails_instead_of_planning_as_nobody(client_of, user_of, pemilu, django_capture_on_commit_callbacks):
    plans = DistributionPlan.objects.filter(election=pemilu).count()
    kpu = client_of(personas.KPU)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answer = replan(kpu)
    User.objects.filter(username=personas.KPU).update(is_active=False)
    queued[0]()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and "tidak aktif lagi" in job.error
    assert DistributionPlan.objects.filter(election=pemilu).count() == plans and answer.status_code == 302


@pytest.mark.django_db
def test_only_the_asker_s_agency_sees_the_job(client_of, pemilu, kpu_badung, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        answer = replan(client_of(personas.KPU))
    url = answer["Location"]
    for other in (kpu_badung, personas.BAWASLU, personas.POLRES):  # another district's KPU, other agencies
        client = client_of(other)
        assert client.get(url).status_code == 404
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
    assert client_of(kpu_badung).get(PAGE).status_code == 200 and client_of(kpu_badung).get(PAGE).context["replans"] == []
    assert client_of(personas.KPU).get(url).status_code == 200
    assert client_of(personas.KPU).get(url.replace("pemilu-2024", "pilkada-2024")).status_code == 404  # another election's address


@pytest.mark.django_db
def test_another_district_s_kpu_cannot_queue_a_replan(client_of, pemilu, kpu_badung, django_capture_on_commit_callbacks):
    badung = client_of(kpu_badung)
    with django_capture_on_commit_callbacks(execute=True):
        refused = replan(badung, "coba")
        bawaslu = replan(client_of(personas.BAWASLU), "coba")
    assert bawaslu.status_code == 403 and refused.status_code == 302 and not Job.objects.exists()
    assert "belum punya TPS di Badung" in badung.get(refused["Location"]).text

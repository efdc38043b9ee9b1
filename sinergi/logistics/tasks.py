"""Background work of the logistics app (Django's tasks, queued in the database and run by
`sinergi db_worker`; core/jobs.py for the status a person follows)."""

from django.core.exceptions import PermissionDenied
from django.tasks import task
from django.urls import reverse

from sinergi.accounts.models import User
from sinergi.core import jobs
from sinergi.core.jobs import progress_of, running
from sinergi.core.models import Job
from sinergi.elections.models import Election
from sinergi.logistics.districts import network_district
from sinergi.logistics.network import require_network
from sinergi.logistics.plans import make_plan
from sinergi.logistics.stored_plan import read_plan
from sinergi.regions.models import Region


@task
def replan_distribution(job_id: int, reason: str, district_code: str = "") -> int:
    """Compute and store the distribution plan a KPU officer asked for from the page
    (`queue_replan`): `make_plan` as that officer, so the plan covers the TPS they may see and
    its audit event names them, as when it ran inside the request. Returns the plan's id."""
    with running(job_id) as job:
        district = network_district(job.election, district_code or None)
        distribution = reverse("logistics:distribution", args=[job.election.slug]) + f"?kabupaten={district.code}"
        job.result = {"back": distribution}
        if job.created_by is None or not job.created_by.is_active:
            raise PermissionDenied("Akun yang meminta rencana ini tidak aktif lagi; minta ulang dari halaman rencana distribusi.")
        plan = make_plan(actor=job.created_by, election=job.election, district=district, reason=reason, progress=progress_of(job))
        stored = read_plan(plan.data, plan.data["time_zone"])
        job.result = {"plan": plan.pk, "convoys": len(stored.convoys), "late": len(stored.late), "url": distribution}
    return plan.pk


def queue_replan(*, actor: User, election: Election, district: Region | None = None, reason: str = "") -> Job:
    """Ask for a new plan from the web: refused at once when the actor may not re-plan, else a job
    that the task worker runs (`replan_distribution`, calling `make_plan` as the actor). The
    command line calls `make_plan` directly and waits."""
    if actor is None or not actor.is_active:
        raise PermissionDenied("Hanya pengguna yang masuk yang dapat meminta rencana baru.")
    district = district or network_district(election)
    require_network(actor, election, district)
    return jobs.queue(actor=actor, election=election, kind="logistics.replan", task=replan_distribution, args=(reason, district.code))

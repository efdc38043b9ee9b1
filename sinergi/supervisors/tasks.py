"""Background work of the supervisors' app (Django's tasks, queued in the database and run by `sinergi worker`)."""

from django.core.exceptions import PermissionDenied
from django.tasks import task
from django.utils import timezone

from sinergi.core.jobs import running, store_file
from sinergi.core.outbound_sms import SmsError, send_sms
from sinergi.regions.queries import within
from sinergi.supervisors import documents, field_logins
from sinergi.supervisors.field_logins import code_of
from sinergi.supervisors.models import FieldLogin
from sinergi.supervisors.queries import eligible_posts


def field_code_sms(*, post_label: str, code: str, sign_in_url: str) -> str:
    """The SMS carrying a PTPS's code: the post, the code, and the sign-in link with the code
    after '#', which the browser keeps to itself (it never reaches a server's log)."""
    return f"Sinergi: kode masuk aplikasi lapangan {post_label}: {code}. Buka {sign_in_url}#kode={code} . Jangan berikan kode ini kepada siapa pun."


@task
def send_field_code(login_id: int, sign_in_url: str) -> str:
    """Send a field code to its PTPS's phone (queued by `field_logins.queue_sms`). Arguments
    carry no secret: the code is derived here, from the row. Records the outcome on the row
    (bookkeeping, not audited: the queuing was). A revoked code is not sent."""
    login = FieldLogin.objects.select_related("assignment__supervisor", "assignment__station__village").filter(pk=login_id).first()
    if login is None or login.revoked_at is not None:
        return "dicabut"
    post = login.assignment
    code = code_of(login)
    if code is None or not post.supervisor.phone:
        FieldLogin.objects.filter(pk=login_id).update(sms_error="kode harus dibuat ulang" if code is None else "tanpa nomor telepon")
        return "gagal"
    text = field_code_sms(post_label=f"PTPS TPS {post.station.number} {post.station.village.name}", code=code, sign_in_url=sign_in_url)
    try:
        send_sms(post.supervisor.phone, text)
    except SmsError as error:
        FieldLogin.objects.filter(pk=login_id).update(sms_error=str(error)[:200])
        raise
    FieldLogin.objects.filter(pk=login_id).update(sms_sent_at=timezone.now(), sms_error="")
    return "terkirim"


@task
def print_field_code_slips(job_id: int, region: str, sign_in_url: str) -> int:
    """The field-code slips (PDF) a Bawaslu officer asked for from the roster
    (`field_login_views.code_slips`): the active PTPS of their area, or of `region` within it,
    codes issued first where missing and every code printed audited (`field_logins.codes_for`, as
    the officer); the PDF kept for their one download (core/jobs.py). Returns the slips' count."""
    with running(job_id) as job:
        actor, election = job.created_by, job.election
        if actor is None or not actor.is_active:
            raise PermissionDenied("Akun yang meminta slip ini tidak aktif lagi.")
        posts = eligible_posts(actor, election)
        if region:
            posts = posts.filter(within("region__code", region))
        codes = field_logins.codes_for(actor=actor, election=election, posts=posts, purpose="slip kode")
        content = documents.field_code_slips_pdf(election, list(posts), codes, sign_in_url)
        job.result = {**store_file(job, content, filename=f"kode-lapangan-{election.slug}.pdf"), "count": len(codes)}
    return len(codes)


@task
def escalate_incident(incident_id: int) -> bool:
    """The escalation check of one incident, queued at referral for each of its due times
    (`incidents.schedule_escalation`): escalates it if its clock ran out and it never escalated
    (exactly once, whoever else looks: `incidents.escalate_one`). True if this run escalated it."""
    from sinergi.supervisors.incidents import escalate_one

    return escalate_one(incident_id, timezone.now()) is not None


@task
def escalate_overdue_incidents() -> int:
    """The sweep, for the worker's periodic schedule: every incident whose clock ran out and that
    the scheduled check missed (a worker down at the time) escalates now. Returns how many."""
    from sinergi.supervisors.incidents import escalate_due

    return escalate_due(timezone.now())

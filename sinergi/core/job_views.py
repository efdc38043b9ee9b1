"""The status page of a background job (core/jobs.py): the whole page, or only its status block
when htmx asks for it every few seconds while the job is not finished."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sinergi.core.jobs import jobs_of, stalled, take_file
from sinergi.core.models import Job


@login_required
@require_GET
def job_status(request, slug, pk):
    """Only the asker's agency sees a job (another agency, another district: 404, as if absent)."""
    job = jobs_of(request.user, Job.objects.filter(election__slug=slug)).select_related("created_by", "election").filter(pk=pk).first()
    if job is None:
        raise Http404("no such job")
    context = {"election": job.election, "job": job, "stalled": stalled(job)}
    template = "core/_job_status.html" if request.headers.get("HX-Request") else "core/job.html"
    return render(request, template, context)


@login_required
@require_GET
def job_file(request, slug, pk):
    """The document a finished job made, once, to the person who asked for it alone (it may hold
    secrets: field codes); removed from the server as it is sent."""
    job = jobs_of(request.user, Job.objects.filter(election__slug=slug)).filter(pk=pk, created_by=request.user).first()
    content = take_file(job) if job is not None else None
    if content is None:
        raise Http404("no such file")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.result.get("filename", "dokumen.pdf")}"'
    return response

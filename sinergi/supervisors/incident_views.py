"""Pages of incidents handed to the police (docs/incidents.md): the list with its state filter and
overdue clocks, one incident with its history and the actions its viewer may take, and the
election's response timers. Every write goes through `supervisors.incidents`."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.models import Agency
from sinergi.accounts.permissions import Perm, can, require
from sinergi.elections.queries import election_by_slug, local_moment
from sinergi.supervisors import incident_flow as flow
from sinergi.supervisors import incidents as services
from sinergi.supervisors import response_timers
from sinergi.supervisors.models import Incident, ResponseTimer
from sinergi.supervisors.queries import incident_for, incidents_for, steps_of


@login_required
def incidents_page(request, slug):
    election = election_by_slug(slug)
    state = request.GET.get("status", "")
    now = timezone.now()
    rows = list(incidents_for(request.user, election, state=state)[:300])
    for incident in rows:
        incident.clock = flow.overdue(incident.state, incident.acknowledge_due, incident.arrival_due, now)
    return render(
        request,
        "supervisors/incidents.html",
        {"election": election, "incidents": rows, "states": Incident.State.choices, "state": state, "tz": election.zone_for(request.user.area_code), "now": now},
    )


@login_required
def incident_page(request, slug, pk):
    election = election_by_slug(slug)
    incident = incident_for(request.user, election, pk)
    now = timezone.now()
    actions = services.actions_for(request.user, incident)
    ptps_only = not (can(request.user, Perm.VIEW_REPORTS) or can(request.user, Perm.RESPOND_INCIDENTS) or can(request.user, Perm.VIEW_VOTING_DAY))
    steps = steps_of(incident)
    if ptps_only:  # a PTPS sees where its own incident stands and its answer, not the desks' notes
        steps = [s for s in steps if s.action in (flow.RESOLVE, flow.CLOSE)]
    zone = election.zone_at(incident.station.village_id)  # where it happened
    with timezone.override(zone):
        return render(
            request,
            "supervisors/incident.html",
            {
                "election": election,
                "incident": incident,
                "zone": zone,
                "steps": steps,
                "actions": actions,
                "targets": services.referral_targets(incident) if flow.REFER in actions else [],
                "client_id": uuid.uuid4(),
                "clock": flow.overdue(incident.state, incident.acknowledge_due, incident.arrival_due, now),
                "now_local": timezone.localtime(now).strftime("%Y-%m-%dT%H:%M"),
                "case": incident.cases.first() if can(request.user, Perm.VIEW_CASES) else None,
                "may_record_finding": can(request.user, Perm.RECORD_FINDINGS) and not ptps_only,
                "ptps_only": ptps_only,
            },
        )


@login_required
@require_POST
def incident_action(request, slug, pk, action):
    """One of the incident page's forms: refer, acknowledge, arrive, resolve, close. The form's
    client id makes a double submit harmless."""
    election = election_by_slug(slug)
    incident = incident_for(request.user, election, pk)
    try:
        client_id = uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        client_id = uuid.uuid4()
    note = request.POST.get("catatan", "")
    try:
        if action == flow.REFER:
            agency = Agency.objects.filter(pk=request.POST.get("lembaga") or 0).first()
            services.refer(actor=request.user, incident=incident, client_id=client_id, agency=agency, note=note)
        elif action == flow.ACKNOWLEDGE:
            services.acknowledge(actor=request.user, incident=incident, client_id=client_id, note=note)
        elif action == flow.ARRIVE:
            services.arrive(actor=request.user, incident=incident, client_id=client_id, note=note)
        elif action == flow.RESOLVE:
            text = request.POST.get("waktu", "").strip()
            done_at = local_moment(election, text, election.zone_at(incident.station.village_id)) if text else None
            if text and done_at is None:
                raise ValidationError(_("Waktu: isi tanggal dan jam, misalnya 2024-02-14T10:30."))
            services.resolve(
                actor=request.user,
                incident=incident,
                client_id=client_id,
                done=request.POST.get("tindakan", ""),
                done_by=request.POST.get("oleh", ""),
                done_at=done_at,
            )
        elif action == flow.CLOSE:
            services.close(actor=request.user, incident=incident, client_id=client_id, reason=request.POST.get("alasan", ""))
        else:
            raise Http404("Langkah tidak dikenal.")
    except flow.TransitionRefused as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except services.IncidentConflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Langkah dicatat: %(action)s.") % {"action": Incident.State(incident.state).label})
    return redirect("supervisors:incident", slug=slug, pk=pk)


@login_required
def response_timers_page(request, slug):
    """The election's response timers per severity: everyone handling incidents reads them; the
    deployment's administrator (the election's calendar holder) sets them."""
    election = election_by_slug(slug)
    if not (can(request.user, Perm.REFER_INCIDENTS) or can(request.user, Perm.RESPOND_INCIDENTS) or can(request.user, Perm.MANAGE_ELECTIONS)):
        raise PermissionDenied
    may_set = can(request.user, Perm.MANAGE_ELECTIONS)
    if request.method == "POST":
        require(request.user, Perm.MANAGE_ELECTIONS)
        values = {}
        for severity in Incident.Severity.values:
            values[severity] = (request.POST.get(f"{severity}-terima", ""), request.POST.get(f"{severity}-tiba", ""))
        try:
            response_timers.set_timers(actor=request.user, election=election, values=values)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Batas waktu tanggapan disimpan."))
            return redirect("supervisors:response_timers", slug=slug)
    timers = response_timers.timers_of(election)
    rows = [(value, label, timers[value]) for value, label in Incident.Severity.choices]
    stored = ResponseTimer.objects.filter(election=election).exists()
    return render(request, "supervisors/response_timers.html", {"election": election, "rows": rows, "may_set": may_set, "stored": stored})

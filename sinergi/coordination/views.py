"""Pages of coordination meetings: the list, a meeting with its decisions and action items, the
forms to record and edit one, an item's follow-up page, follow-ups per agency, the minutes as PDF
and the action items as Excel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Agency
from sinergi.accounts.permissions import Perm, can, require
from sinergi.coordination import documents, exports, followup, queries, services
from sinergi.coordination.forms import ItemUpdateForm, MeetingForm
from sinergi.coordination.models import Meeting
from sinergi.elections.models import Election
from sinergi.elections.queries import election_by_slug
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import related_to, within, zone_label


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (unknown names go on top)."""
    for name, texts in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
        form.add_error(name if name in form.fields else None, texts)


def _form_choices(user, meeting=None) -> dict:
    """What the meeting form offers: every election, the regions of the user's area down to the
    kecamatan, and the agencies of the area (not the village ones, PKD and PPS: too many to list)."""
    area = user.area_code
    regions = Region.objects.filter(within("code", area), level__lte=codes.KECAMATAN).order_by("code")
    agencies = list(Agency.objects.filter(related_to("region__code", area)).exclude(kind__in=[Agency.Kind.PKD, Agency.Kind.PPS]).order_by("region_id", "kind", "name"))
    if meeting is not None:
        agencies += [a for a in meeting.agencies.all() if a not in agencies]
    return {"elections": Election.objects.order_by("-voting_date"), "regions": regions, "agencies": agencies}


@login_required
def meeting_list(request, slug):
    election = election_by_slug(slug)
    meetings = list(queries.meetings_for(request.user, election).prefetch_related("agencies", "action_items")[:300])
    rows = []
    for meeting in meetings:
        states = [item.state(queries.today_of(meeting)) for item in meeting.action_items.all()]
        rows.append(
            {
                "meeting": meeting,
                "items": len(states),
                "active": sum(1 for s in states if s not in (followup.DONE, followup.CANCELLED)),
                "overdue": states.count(followup.OVERDUE),
            }
        )
    return render(request, "coordination/list.html", {"election": election, "rows": rows, "may_record": can(request.user, Perm.MANAGE_MEETINGS)})


@login_required
def meeting_new(request, slug):
    election = election_by_slug(slug)
    require(request.user, Perm.MANAGE_MEETINGS)
    initial = {"election": str(election.pk), "kind": Meeting.Kind.COORDINATION, "region": request.user.area_code}
    if request.user.agency_id:
        initial["agencies"] = [str(request.user.agency_id)]
    form = MeetingForm(request.POST or None, initial=initial, **_form_choices(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.record_meeting(actor=request.user, **form.header(), decisions=form.decisions(), action_items=form.action_items())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Rapat dicatat: %(title)s.") % {"title": meeting.title})
            return redirect("coordination:detail", slug=slug, pk=meeting.pk)
    return render(request, "coordination/meeting_form.html", {"election": election, "form": form, "meeting": None})


@login_required
def meeting_edit(request, slug, pk):
    election = election_by_slug(slug)
    meeting = queries.meeting_for(request.user, election, pk)
    if not services.may_edit(request.user, meeting):
        raise PermissionDenied("Hanya lembaga pencatat rapat yang dapat mengubahnya.")
    local = timezone.localtime(meeting.starts_at, meeting.time_zone)
    initial = {
        "election": str(meeting.election_id or ""),
        "kind": meeting.kind,
        "title": meeting.title,
        "day": local.date(),
        "start_time": local.time(),
        "place": meeting.place,
        "region": meeting.region_id,
        "agencies": [str(a.pk) for a in meeting.agencies.all()],
        "other_attendees": meeting.other_attendees,
        "minutes": meeting.minutes,
    }
    form = MeetingForm(request.POST or None, initial=initial, **_form_choices(request.user, meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(actor=request.user, meeting=meeting, **form.header(), new_decisions=form.decisions(), new_action_items=form.action_items())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Rapat diperbarui."))
            return redirect("coordination:detail", slug=slug, pk=meeting.pk)
    return render(request, "coordination/meeting_form.html", {"election": election, "form": form, "meeting": meeting})


@login_required
def meeting_detail(request, slug, pk):
    election = election_by_slug(slug)
    meeting = queries.meeting_for(request.user, election, pk)
    rows = [{"row": row, "may_update": services.may_update(request.user, row.item)} for row in queries.rows_of(meeting.action_items.all())]
    return render(
        request,
        "coordination/detail.html",
        {
            "election": election,
            "meeting": meeting,
            "rows": rows,
            "may_edit": services.may_edit(request.user, meeting),
            "zone": meeting.time_zone,
            "tz_label": _zone_label(meeting),
        },
    )


def _zone_label(meeting) -> str:
    return zone_label(meeting.time_zone)


@login_required
def action_item(request, slug, pk, item_pk):
    """One action item with its follow-ups, and the form to update it (its owner or the recorder)."""
    election = election_by_slug(slug)
    meeting = queries.meeting_for(request.user, election, pk)
    item = next((i for i in meeting.action_items.all() if i.pk == item_pk), None)
    if item is None:
        raise Http404("Tindak lanjut tidak ada.")
    may_update = services.may_update(request.user, item)
    form = ItemUpdateForm(request.POST or None, initial={"status": item.status}) if may_update else None
    if request.method == "POST":
        if not may_update:
            raise PermissionDenied("Hanya lembaga penanggung jawab atau pencatat rapat yang dapat memperbarui tindak lanjut ini.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_action_item(actor=request.user, item=item, status=data["status"], note=data["note"], done_on=data["done_on"])
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Tindak lanjut diperbarui."))
                return redirect("coordination:item", slug=slug, pk=pk, item_pk=item_pk)
    row = queries.rows_of([item])[0]
    return render(
        request,
        "coordination/item.html",
        {"election": election, "meeting": meeting, "row": row, "item": item, "form": form, "zone": meeting.time_zone, "tz_label": _zone_label(meeting)},
    )


@login_required
def by_agency(request, slug):
    """Open and overdue action items grouped by owner agency, the viewer's own agency first."""
    election = election_by_slug(slug)
    groups = queries.open_items_by_agency(request.user, election)
    mine = next((g for g in groups if g.mine), None)
    return render(request, "coordination/by_agency.html", {"election": election, "groups": groups, "mine": mine, "has_agency": request.user.agency_id is not None})


@login_required
def minutes_pdf(request, slug, pk):
    election = election_by_slug(slug)
    meeting = queries.meeting_for(request.user, election, pk)
    response = HttpResponse(documents.minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notulen-rapat-{meeting.pk}.pdf"'
    return response


@login_required
def items_xlsx(request, slug):
    election = election_by_slug(slug)
    rows = queries.rows_of(queries.items_for(request.user, election).order_by("owner__name", "due_on", "pk"))
    response = HttpResponse(exports.items_xlsx(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="tindak-lanjut-rapat-{election.slug}.xlsx"'
    return response

"""Pages of notifications: the user's list (what needs me now), marking read, opening one,
acknowledging a broadcast; the push subscription endpoint and service worker; the broadcast pages
of Bawaslu and the Polres; the coverage board's nudge (asked first, core/confirm.py)."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.models import Agency
from sinergi.accounts.permissions import Perm, can, require
from sinergi.core.confirm import ask, is_confirmed
from sinergi.core.params import MAX_ID
from sinergi.elections.queries import election_by_slug
from sinergi.notifications import queries, services
from sinergi.notifications.forms import BroadcastForm, NudgeForm
from sinergi.notifications.models import Notification
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import within

LISTED = 200  # notifications shown on the list


@login_required
def notification_list(request):
    rows = list(queries.notifications_of(request.user)[:LISTED])
    return render(request, "notifications/list.html", {"rows": rows, "unread": sum(1 for n in rows if n.read_at is None)})


@login_required
@require_POST
def mark_read(request):
    # With `id` fields: those only (none valid: none); without any: all of the user's.
    given = request.POST.getlist("id")
    ids = [int(v) for v in given if v.isdigit() and int(v) <= MAX_ID] if given else None
    count = services.mark_read(user=request.user, ids=ids)
    messages.success(request, _("%(n)s pemberitahuan ditandai sudah dibaca.") % {"n": count})
    return redirect("notifications:list")


@login_required
@require_POST
def open_notification(request, pk):
    """Mark one read and follow its link (a path of this site only)."""
    notification = Notification.objects.filter(pk=pk, recipient=request.user).first() if pk <= MAX_ID else None
    if notification is None:
        raise Http404
    services.mark_read(user=request.user, ids=[pk])
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None) and url.startswith("/"):
        return redirect(url)
    return redirect("notifications:list")


@login_required
@require_POST
def acknowledge(request, pk):
    if pk > MAX_ID:
        raise Http404
    try:
        services.acknowledge(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Terima kasih: siaran ini dikonfirmasi sudah diterima."))
    back = request.POST.get("next", "")
    if back == "lapangan":
        return redirect("supervisors:field_app")
    # A field app's own page (the officers' check-in page): only a path of this site.
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return redirect(back)
    return redirect("notifications:list")


@login_required
@require_POST
def push_subscribe(request):
    """A browser's push subscription (PushSubscription.toJSON() as the JSON body)."""
    try:
        data = json.loads(request.body or b"{}")
        keys = data.get("keys") or {}
        services.subscribe_push(
            user=request.user,
            endpoint=str(data.get("endpoint", "")),
            p256dh=str(keys.get("p256dh", "")),
            auth=str(keys.get("auth", "")),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except (ValueError, AttributeError, ValidationError) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else _("Isi permintaan bukan JSON langganan push.")
        return JsonResponse({"detail": message}, status=400)
    return JsonResponse({"ok": True}, status=201)


@login_required
@require_POST
def push_unsubscribe(request):
    try:
        endpoint = str(json.loads(request.body or b"{}").get("endpoint", ""))
    except (ValueError, AttributeError):
        return JsonResponse({"detail": _("Isi permintaan bukan JSON.")}, status=400)
    return JsonResponse({"removed": services.unsubscribe_push(user=request.user, endpoint=endpoint)})


def service_worker(request):
    """The service worker that shows pushed notifications (scope /notifikasi/); no user data."""
    from django.template.loader import render_to_string

    response = HttpResponse(render_to_string("notifications/sw.js"), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


# --- Broadcasts --------------------------------------------------------------------------------


def _broadcast_form(request, data=None):
    area = request.user.area_code
    regions = Region.objects.filter(within("code", area), level__gte=codes.DISTRICT).order_by("code") if area else Region.objects.filter(level=codes.DISTRICT)
    kinds = services.broadcast_kinds(request.user)
    return BroadcastForm(
        data, regions=regions, kinds=kinds, initial={"area": area, "agency_kind": Agency.Kind.PKD if Agency.Kind.PKD in kinds else (kinds[0] if kinds else "")}
    )


@login_required
def broadcast_list(request, slug):
    election = election_by_slug(slug)
    require(request.user, Perm.SEND_BROADCASTS)
    form = _broadcast_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            broadcast = services.send_broadcast(actor=request.user, election=election, **form.cleaned_data)
        except ValidationError as error:
            for name, texts in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
                form.add_error(name if name in form.fields else None, texts)
        else:
            messages.success(request, _("Siaran dikirim: %(title)s.") % {"title": broadcast.title})
            return redirect("notifications:broadcast", slug=slug, pk=broadcast.pk)
    broadcasts = queries.broadcasts_visible_to(request.user).filter(election=election)[:100]
    return render(request, "notifications/broadcasts.html", {"election": election, "form": form, "broadcasts": broadcasts})


@login_required
def broadcast_detail(request, slug, pk):
    election = election_by_slug(slug)
    require(request.user, Perm.SEND_BROADCASTS)
    if pk > MAX_ID:
        raise Http404
    broadcast = queries.broadcast_for(request.user, pk)
    return render(request, "notifications/broadcast.html", {"election": election, "broadcast": broadcast, "rows": queries.acknowledgements(broadcast)})


# --- The coverage board's nudge ------------------------------------------------------------------


@login_required
@require_POST
def nudge(request, slug):
    """Remind the PTPS of the sender's area whose TPS has not reported a stage by a time: asks
    first (how many TPS and PTPS), then sends."""
    from sinergi.supervisors.models import Question

    election = election_by_slug(slug)
    require(request.user, Perm.NUDGE_PTPS)
    form = NudgeForm(request.POST, stages=Question.Stage.choices)
    back = reverse("supervisors:coverage", args=[slug])
    if not form.is_valid():
        messages.error(request, _("Pilih tahap dan jam (JJ:MM) untuk mengingatkan PTPS."))
        return redirect(back)
    stage = form.cleaned_data["stage"]
    by = datetime.combine(election.voting_date, form.cleaned_data["time"], tzinfo=ZoneInfo(election.time_zone))
    back = f"{back}?tahap={stage}"
    if not is_confirmed(request):
        missing, users = services.nudge_audience(request.user, election, stage, by)
        return ask(
            request,
            election=election,
            title=_("Ingatkan PTPS yang belum melapor"),
            message=_(
                "%(stations)s TPS di wilayah Anda belum melaporkan tahap %(stage)s sampai pukul %(time)s. Pemberitahuan akan dikirim ke PTPS-nya yang memiliki akun aplikasi lapangan."
            )
            % {"stations": len(missing), "stage": Question.Stage(stage).label, "time": by.strftime("%H:%M")},
            count=users.count(),
            back=back,
        )
    count = services.nudge_missing(actor=request.user, election=election, stage=stage, by=by)
    messages.success(request, _("%(n)s PTPS diingatkan.") % {"n": count})
    return redirect(back)


def may_nudge(user) -> bool:
    return can(user, Perm.NUDGE_PTPS)

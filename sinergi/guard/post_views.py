"""Voting day's guard posts: the plan-versus-actual board, a post's officers and moves, fixing the
plan, and the officers' check-in page (docs/risk-and-guard.md, "Voting-day posts")."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.elections.queries import board_clock, election_by_slug, local_moment
from sinergi.guard.models import GuardOfficer, GuardPost, PostCheckIn
from sinergi.guard.post_queries import may_act_on_post, post_board, post_detail, posts_of
from sinergi.guard.post_services import assign_officer, fix_plan, move_officer
from sinergi.guard.queries import polres_of
from sinergi.notifications.queries import awaiting_acknowledgement
from sinergi.regions.queries import zone_label


def _moment(election, text: str, zone: ZoneInfo) -> datetime | None:
    """`?pukul=07:00` on voting day, or `?pukul=2024-02-14T07:00`, in the viewer's time zone."""
    if len(text) == 5 and text[2] == ":":
        text = f"{election.voting_date.isoformat()}T{text}"
    return local_moment(election, text, zone)


@login_required
def posts_page(request, slug):
    """Plan against actual per post and per Polsek, at now or at `?pukul=HH:MM` of voting day."""
    election = election_by_slug(slug)
    require(request.user, Perm.VIEW_GUARD_PLAN)
    zone = election.zone_for(request.user.area_code)
    at = _moment(election, request.GET.get("pukul", "")[:16], zone)
    if at is None:
        at = board_clock(election, lambda: PostCheckIn.objects.filter(post__election=election).aggregate(last=Max("at"))["last"], zone)
    board = post_board(request.user, election, at)
    context = {
        "election": election,
        "board": board,
        "zone": zone_label(election.zone_for(request.user.area_code)),
        "may_fix": can(request.user, Perm.MANAGE_GUARD) and polres_of(request.user) is not None,
    }
    return render(request, "guard/posts.html", context)


@login_required
@require_POST
def fix_plan_view(request, slug):
    election = election_by_slug(slug)
    require(request.user, Perm.MANAGE_GUARD)
    polres = polres_of(request.user)
    if polres is None:
        raise Http404("Akun ini tidak terhubung ke Polres.")
    try:
        result = fix_plan(actor=request.user, election=election, polres=polres)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Rencana pos ditetapkan: %(summary)s") % {"summary": result.summary()})
    return redirect("guard:posts", slug=slug)


@login_required
def post_page(request, slug, pk):
    """One post: its TPS, officers (assign, move), the moves' history, its check-ins."""
    election = election_by_slug(slug)
    post, officers, moves, check_ins = post_detail(request.user, election, pk)
    may_move = can(request.user, Perm.MOVE_OFFICERS) and may_act_on_post(request.user, post)
    if request.method == "POST":
        if not may_move:
            require(request.user, Perm.MOVE_OFFICERS)
            raise Http404("Pos tidak ada di wilayah Anda.")
        try:
            if "assign" in request.POST:
                account = None
                if username := request.POST.get("username", "").strip()[:150]:
                    account = User.objects.filter(username=username, agency=post.polsek).first()
                    if account is None:
                        raise ValidationError(_("Akun %(name)s tidak ada di %(polsek)s.") % {"name": username, "polsek": post.polsek.name})
                assign_officer(actor=request.user, post=post, name=request.POST.get("name", "")[:200], nrp=request.POST.get("nrp", "")[:30], user=account)
                messages.success(request, _("Petugas ditugaskan di pos ini."))
            elif "move" in request.POST:
                officer = GuardOfficer.objects.filter(
                    pk=request.POST.get("officer", "0") if request.POST.get("officer", "").isdigit() else 0, post=post
                ).first()
                target = (
                    posts_of(request.user, election).filter(pk=request.POST.get("to_post", "0") if request.POST.get("to_post", "").isdigit() else 0).first()
                )
                if officer is None or target is None:
                    raise ValidationError(_("Pilih petugas dan pos tujuan dari daftar."))
                move_officer(actor=request.user, officer=officer, to_post=target, reason=request.POST.get("reason", "")[:300])
                messages.success(request, _("%(name)s dipindah ke Pos %(number)s.") % {"name": officer.name, "number": target.number})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("guard:post", slug=slug, pk=pk)
    targets = (
        list(GuardPost.objects.filter(election=election, polsek=post.polsek, retired_at__isnull=True).exclude(pk=post.pk).order_by("number"))
        if may_move
        else []
    )
    context = {
        "election": election,
        "post": post,
        "stations": sorted(post.stations.select_related("village"), key=lambda s: (s.village_id, s.number)),
        "officers": officers,
        "moves": moves,
        "check_ins": check_ins,
        "may_move": may_move,
        "targets": targets,
        "zone": zone_label(election.zone_for(request.user.area_code)),
    }
    return render(request, "guard/post.html", context)


@login_required
def field_app(request, slug):
    """The officers' check-in page: works offline (the queue of static/sinergi/fieldqueue.js)."""
    election = election_by_slug(slug)
    require(request.user, Perm.CHECK_IN_POSTS)
    context = {
        "election": election,
        "zone": zone_label(election.zone_for(request.user.area_code)),
        # Broadcasts (docs/notifications.md) this officer has not yet acknowledged.
        "awaiting": awaiting_acknowledgement(request.user),
    }
    return render(request, "guard/lapangan.html", context)


FIELD_APP_VERSION = "2"  # 2: fieldqueue.js also queues broadcast acknowledgements


def field_app_worker(request, slug):
    """The check-in page's service worker (the PTPS app's, with its own cache), served under the
    page's address so that it may control it: the page opens without a connection."""
    app_url = reverse("guard:field_app", args=[slug])
    context = {
        "cache_prefix": f"sinergi-pos-{slug}",
        "version": FIELD_APP_VERSION,
        "app_url": app_url,
        "queue_url": static("sinergi/fieldqueue.js"),
        "script_url": static("sinergi/pos-lapangan.js"),
        "css_url": static("sinergi/sinergi.css"),
        "manifest_url": "",
    }
    response = render(request, "supervisors/lapangan_sw.js", context, content_type="text/javascript")
    response["Service-Worker-Allowed"] = app_url
    response["Cache-Control"] = "no-cache"
    return response

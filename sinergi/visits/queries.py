"""Reads of joint monitoring visits, scoped.

A user holding `VIEW_VISITS` sees a visit when its kecamatan lies within the user's area (Bawaslu
and the Polres: the district's; a Panwascam or Polsek: its own kecamatan only), or when the user's
agency is one of the visit's agencies (a Polsek covering a neighbouring kecamatan, invited)."""

from datetime import date, datetime, time, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Agency, User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.core.alerts import Alert
from sinergi.elections.models import Election
from sinergi.guard.queries import polseks_by_kecamatan
from sinergi.regions.queries import related_to, within
from sinergi.risk.models import StationClass
from sinergi.risk.services import collection_is_open
from sinergi.visits.models import Visit, VisitStop

SUPERVISOR_KINDS = (Agency.Kind.BAWASLU, Agency.Kind.PANWASCAM)
POLICE_KINDS = (Agency.Kind.POLRES, Agency.Kind.POLSEK)


def _visible(user: User) -> Q:
    area = within("region__code", user.area_code)
    if user.agency_id is None:
        return area
    return area | Q(pk__in=Visit.agencies.through.objects.filter(agency_id=user.agency_id).values("visit_id"))


def visits_for(user: User, election: Election) -> QuerySet[Visit]:
    """The visits of `election` that `user` may see (PermissionDenied without the permission)."""
    require(user, Perm.VIEW_VISITS)
    visible = Visit.objects.filter(_visible(user), election=election).values("pk")
    return Visit.objects.filter(pk__in=visible).select_related("election", "region").order_by("day", "pk")


def visit_for(user: User, election: Election, pk: int) -> Visit:
    """One visit with its agencies and stops; 404 when unseen."""
    stops = VisitStop.objects.select_related("station__village", "recorded_by", "applied_by").order_by("order")
    visit = visits_for(user, election).filter(pk=pk).select_related("created_by").prefetch_related("agencies", Prefetch("stops", stops)).first()
    if visit is None:
        raise Http404("Kunjungan tidak ada atau di luar wilayah Anda.")
    return visit


def schedule(user: User, election: Election) -> list[tuple[date, list[Visit]]]:
    """The visits per day, in order, with their stops (the schedule page)."""
    visits = visits_for(user, election).prefetch_related("agencies", Prefetch("stops", VisitStop.objects.select_related("station__village").order_by("order")))
    return [(day, list(group)) for day, group in groupby(visits, key=lambda v: v.day)]


def may_manage(user: User, visit: Visit) -> bool:
    """Planning, recording and cancelling: the permission, and the visit within the user's reach."""
    return can(user, Perm.MANAGE_VISITS) and Visit.objects.filter(_visible(user), pk=visit.pk).exists()


def agencies_for(kecamatan_code: str) -> list[Agency]:
    """The agencies that may go on a visit to the kecamatan: the district's Bawaslu and Polres, the
    kecamatan's Panwascam and the Polsek answering for it (its own or the one covering it)."""
    agencies = Agency.objects.filter(related_to("region__code", kecamatan_code), kind__in=SUPERVISOR_KINDS + POLICE_KINDS).exclude(kind=Agency.Kind.POLSEK)
    found = [a for a in agencies.order_by("kind", "name") if a.kind != Agency.Kind.PANWASCAM or a.region_id == kecamatan_code]
    polsek = polseks_by_kecamatan(kecamatan_code).get(kecamatan_code)
    if polsek is not None:
        found.append(polsek)
    return found


def class_of(stations) -> dict[int, str]:
    """The police class set for each TPS (absent when not set)."""
    return dict(StationClass.objects.filter(station__in=stations).values_list("station_id", "level"))


def may_apply(user: User | None, election: Election, today: date | None = None) -> bool:
    """Whether `user` may write a visit's findings into the checklist now (the stage's rules,
    risk.services): `risk.fill` while the collection stage is open, `risk.amend` outside it."""
    if user is None:
        return True
    if not can(user, Perm.FILL_CHECKLIST):
        return False
    return can(user, Perm.AMEND_CHECKLIST) or collection_is_open(election, today)


def situation_alerts(user: User, election: Election, now: datetime) -> list[Alert]:
    """For the situation room: the visits of today and tomorrow (info), and, for a user who may
    apply them now, the findings waiting for Bawaslu (warning). None without `visits.view`."""
    if not can(user, Perm.VIEW_VISITS):
        return []
    zone = ZoneInfo(election.time_zone)
    today = timezone.localtime(now, zone).date()
    soon = [today, today + timedelta(days=1)]
    # One query for both: the stops of the visits coming, and the stops whose findings wait.
    stops = list(
        VisitStop.objects.filter(visit__in=visits_for(user, election).values("pk"))
        .filter(Q(visit__status=Visit.Status.PLANNED, visit__day__in=soon) | Q(recorded_at__isnull=False, applied_at__isnull=True))
        .select_related("visit__region", "station__village")
        .order_by("visit__day", "visit_id", "order")
    )
    alerts = []
    coming: dict[int, list[VisitStop]] = {}
    for stop in stops:
        if stop.visit.status == Visit.Status.PLANNED and stop.visit.day in soon:
            coming.setdefault(stop.visit_id, []).append(stop)
    for visit_stops in coming.values():
        visit = visit_stops[0].visit
        when = _("hari ini") if visit.day == today else _("besok")
        boat = (
            _("; kapal %(out)s, kembali %(back)s") % {"out": f"{visit.out_departure:%H.%M}", "back": f"{visit.back_departure:%H.%M}"} if visit.crossing else ""
        )
        alerts.append(
            Alert(
                "info",
                _("Kunjungan bersama"),
                _("Kunjungan bersama %(when)s: Kecamatan %(kecamatan)s, %(n)s TPS") % {"when": when, "kecamatan": visit.region.name, "n": len(visit_stops)},
                f"{visit.crossing}{boat}",
                reverse("visits:detail", args=[election.slug, visit.pk]),
                datetime.combine(visit.day, visit.leaves_at or time.min, zone),
            )
        )
    waiting = sorted((s for s in stops if s.recorded_at is not None and s.applied_at is None), key=lambda s: s.recorded_at)
    if waiting and may_apply(user, election, today):
        named = ", ".join(str(stop.station) for stop in waiting[:10]) + (" …" if len(waiting) > 10 else "")
        alerts.append(
            Alert(
                "warning",
                _("Kunjungan bersama"),
                _("%(n)s TPS: temuan kunjungan bersama menunggu diterapkan pada daftar periksa") % {"n": len(waiting)},
                named,
                reverse("visits:schedule", args=[election.slug]),
                waiting[-1].recorded_at,
            )
        )
    return alerts

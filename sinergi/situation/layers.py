"""The situation room's map layers: each a GeoJSON FeatureCollection of the viewer's TPS points,
every point carrying the layer's value (a CSS class of its pin) and a tooltip. A layer is offered
only to those allowed to see what it shows."""

import json
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can
from sinergi.elections.models import Election
from sinergi.guard.post_queries import staffing_by_station
from sinergi.guard.queries import posts_for
from sinergi.logistics.board import board_for
from sinergi.risk.models import StationClass
from sinergi.risk.queries import classes_for, present_codes
from sinergi.stations.labels import tps_label
from sinergi.stations.queries import stations_visible_to, stations_watched_by
from sinergi.supervisors.coverage import reported_for, stage_due
from sinergi.supervisors.models import Question

# kind -> (label, the permission it needs), in the picker's order.
LAYERS = {
    "tps": (gettext_lazy("Titik TPS"), Perm.VIEW_STATIONS),
    "indikator": (gettext_lazy("Jumlah variabel kerawanan"), Perm.VIEW_RISK),
    "kelas": (gettext_lazy("Kelas kerawanan (kepolisian)"), Perm.VIEW_POLICE_CLASS),
    "pos": (gettext_lazy("Pos pengamanan"), Perm.VIEW_GUARD_PLAN),
    "logistik": (gettext_lazy("Status logistik"), Perm.VIEW_LOGISTICS),
    # The police too (reports.view_status): reported or not, and incidents, no personal data.
    "laporan": (gettext_lazy("Laporan pengawas TPS"), Perm.VIEW_VOTING_DAY),
}

# A cluster of pins takes the colour of its most urgent pin (static/sinergi/clusters.js): each
# layer's values, most urgent first. An incident outranks a missing report (it is an event someone
# must act on; a TPS not yet reported is shown red in a cluster without any incident); a special
# TPS (prison, hospital) outranks a rawan one.
SEVERITY = {
    "tps": ["tps"],
    "indikator": ["v4", "v3", "v2", "v1", "v0"],
    "kelas": ["sangat_rawan", "khusus", "rawan", "kurang_rawan"],
    "pos": ["sangat_rawan", "khusus", "rawan", "kurang_rawan"],
    "logistik": ["belum", "sebagian", "lengkap"],
    "laporan": ["sebagian", "belum", "lengkap"],
}

# The layer the page opens on: the first of these the viewer may see.
DEFAULT_ORDER = ("laporan", "logistik", "kelas", "pos", "indikator", "tps")


def layers_offered(user: User) -> list[tuple[str, str]]:
    """(kind, label) of every layer `user` may open."""
    return [(kind, label) for kind, (label, perm) in LAYERS.items() if can(user, perm)]


def _values(user: User, election: Election, kind: str, now: datetime, station_ids: list[int]) -> dict[int, tuple[str, str]]:
    """station id -> (value, tooltip) for `kind`."""
    if kind == "indikator":
        variable_of = dict(election.risk_indicators.values_list("code", "variable__number"))
        present = present_codes(stations_visible_to(user, election))
        values = {}
        for sid in station_ids:
            n = len({variable_of[c] for c in present.get(sid, ()) if c in variable_of})
            values[sid] = (f"v{min(n, 4)}", _("%(n)s variabel kerawanan") % {"n": n})
        return values
    if kind == "kelas":
        labels = dict(StationClass.Level.choices)
        by = {"polisi": _("ditetapkan polisi"), "saran": _("saran")}
        return {sid: (level, f"{labels[level]} ({by[source]})") for sid, (level, source) in classes_for(user, election).items()}
    if kind == "pos":
        plan = posts_for(user, election)[0]
        values = {sid: (post.level, _("Pos %(n)s") % {"n": post.number}) for post in plan.posts for sid in post.station_ids}
        # Once the Polres fixed the plan: the fixed post and whether it is staffed (guard posts board).
        return values | staffing_by_station(user, election, now)
    if kind == "logistik":
        return {row.station_id: (row.status, row.detail) for row in board_for(user, election, now).rows}
    if kind == "laporan":
        stage = stage_due(election, now, user.area_code) or Question.Stage.PREPARATION
        reported, incidents = reported_for(user, election, stage, now)
        label = Question.Stage(stage).label
        values = {}
        for sid in station_ids:
            if incidents[sid]:
                values[sid] = ("sebagian", _("%(n)s kejadian") % {"n": incidents[sid]})
            elif sid in reported:
                values[sid] = ("lengkap", _("%(stage)s: sudah melapor") % {"stage": label})
            else:
                values[sid] = ("belum", _("%(stage)s: belum melapor") % {"stage": label})
        return values
    return {}


def layer_geojson(user: User, election: Election, kind: str, now: datetime) -> str:
    """The layer as GeoJSON text. The caller has checked that `kind` is offered to `user`."""
    # The reports layer covers the TPS whose voting day the viewer follows: a Polsek's own and
    # those of the kecamatan it guards for another (`stations_watched_by`).
    stations_of = stations_watched_by if kind == "laporan" else stations_visible_to
    rows = stations_of(user, election).filter(latitude__isnull=False).order_by("village_id", "number")
    stations = list(rows.values_list("pk", "number", "village__name", "latitude", "longitude"))
    values = _values(user, election, kind, now, [row[0] for row in stations])
    # One reverse() for all: the detail address with a placeholder id, filled in per TPS.
    # The reports layer opens a TPS's voting day (which a Polsek may open for a TPS it only guards).
    url = reverse("supervisors:station_status" if kind == "laporan" else "stations:detail", args=[election.slug, 999999999])
    features = []
    for pk, number, village, lat, lon in stations:
        value, tip = values.get(pk, ("tps", ""))
        properties = {"id": pk, "label": tps_label(number, village), "value": value, "tip": tip, "url": url.replace("999999999", str(pk))}
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties})
    return json.dumps({"type": "FeatureCollection", "layer": kind, "severity": SEVERITY[kind], "features": features}, ensure_ascii=False, separators=(",", ":"))

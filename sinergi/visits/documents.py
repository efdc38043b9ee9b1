"""The report of a joint monitoring visit (laporan kunjungan bersama) as a PDF for both agencies:
the supervisors' letterhead (Bawaslu or the Panwascam that went), the TPS in order with what was
found, the checklist changes and the police class suggestion, and one signature per agency."""

import base64

from django.utils import timezone, translation

from sinergi.accounts.letterhead import id_label, letterhead_of
from sinergi.core.pdf import render_pdf
from sinergi.regions.queries import zone_label
from sinergi.risk.models import Indicator, StationClass
from sinergi.visits.models import Visit
from sinergi.visits.queries import POLICE_KINDS, SUPERVISOR_KINDS, class_of

ROLE = {"bawaslu": "Ketua", "panwascam": "Ketua", "polres": "Kepala", "polsek": "Kepala"}


def report_pdf(visit: Visit) -> bytes:
    agencies = list(visit.agencies.all().select_related("region__parent__parent"))
    supervisors = [a for a in agencies if a.kind in SUPERVISOR_KINDS]
    police = [a for a in agencies if a.kind in POLICE_KINDS]
    issuer = supervisors[0] if supervisors else agencies[0]
    stops = list(visit.stops.all().select_related("station__village"))
    texts = dict(Indicator.objects.filter(election=visit.election).values_list("code", "text"))
    levels = dict(StationClass.Level.choices)
    classes = class_of([s.station_id for s in stops])
    rows = []
    for stop in stops:
        present = [(code, texts.get(code, ""), note) for code, (flag, note) in sorted(stop.findings.items()) if flag]
        rows.append(
            {
                "stop": stop,
                "present": present,
                "before": levels.get(stop.suggestion_before, ""),
                "after": levels.get(stop.suggestion_after, ""),
                "police_class": levels.get(classes.get(stop.station_id, ""), ""),
            }
        )
    photos = []
    for stop in stops:
        if stop.photo:
            with stop.photo.open("rb") as handle:
                kind = "image/png" if stop.photo.name.endswith(".png") else "image/jpeg"  # named by us from the decoded type
                photos.append((stop, f"data:{kind};base64,{base64.b64encode(handle.read()).decode()}"))
    signers = [(a, ROLE.get(a.kind, "Pimpinan"), id_label(a.kind)) for a in (supervisors[:1] + police[:1])]
    context = {
        "visit": visit,
        "kop": letterhead_of(issuer),
        "supervisors": supervisors,
        "police": police,
        "rows": rows,
        "signers": signers,
        "photos": photos,
        "town": issuer.region.name,
        "printed_at": timezone.localtime(timezone.now(), visit.time_zone),
        "tz_label": zone_label(visit.time_zone),
    }
    with translation.override("id"):
        return render_pdf("visits/report_document.html", context)

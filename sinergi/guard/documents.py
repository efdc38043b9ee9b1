"""The guard plan as a printable PDF, one section per Polsek."""

from django.utils import timezone, translation

from sinergi.accounts.letterhead import letterhead, letterhead_of
from sinergi.accounts.models import Agency, User
from sinergi.core.pdf import render_pdf
from sinergi.elections.models import Election
from sinergi.guard.exports import LEVEL_NAMES
from sinergi.guard.models import Formation
from sinergi.guard.queries import plan_for, polseks_by_kecamatan
from sinergi.regions.models import Region
from sinergi.regions.queries import zone_label
from sinergi.risk.documents import issuing_agency


def plan_pdf(user: User, election: Election, kecamatan_code: str = "", within_area: str = "") -> bytes:
    """Every Polsek of the plan (or only the kecamatan `kecamatan_code`), each on its own pages;
    `within_area` narrows a wide user's plan to one kabupaten."""
    guard = plan_for(user, election, within_area)
    zone = election.zone_for(kecamatan_code or within_area or user.area_code)  # the Polres's clock
    polres = issuing_agency(Agency.Kind.POLRES, within_area or user.area_code)
    formation = Formation.objects.filter(election=election, agency=polres).prefetch_related("rules").first() if polres else None
    sections = []
    polseks = polseks_by_kecamatan(within_area or user.area_code, with_regions=True)
    kecamatan = Region.objects.select_related("parent__parent").in_bulk([t.kecamatan_code for t in guard.plan.kecamatans])
    for total in guard.plan.kecamatans:
        if kecamatan_code and total.kecamatan_code != kecamatan_code:
            continue
        posts = [
            (post, LEVEL_NAMES.get(post.level, post.level), [guard.stations[sid] for sid in post.station_ids])
            for post in guard.plan.posts
            if post.kecamatan_code == total.kecamatan_code
        ]
        polsek = polseks.get(total.kecamatan_code)
        kop = letterhead_of(polsek) if polsek else letterhead(Agency.Kind.POLSEK, kecamatan.get(total.kecamatan_code))
        sections.append({"name": guard.kecamatan_names.get(total.kecamatan_code, total.kecamatan_code), "total": total, "posts": posts, "kop": kop})
    context = {
        "election": election,
        "sections": sections,
        # A TPS the plan cannot guard is named on the document too, not left out quietly.
        "gaps": [gap for gap in guard.gaps if not kecamatan_code or gap.kecamatan_code == kecamatan_code],
        "polres_name": polres.name if polres else "Polres",
        "kabag_ops": f"Kabag Ops {polres.name}" if polres else "Kabag Ops Polres",
        "place": polres.region.name if polres else "",
        "formation_name": formation.name if formation else "",
        "rules": formation.rules.all() if formation else [],
        "printed_at": timezone.localtime(timezone=zone),
        "tz_label": zone_label(zone),
    }
    with translation.override("id"), timezone.override(zone):
        return render_pdf("guard/plan_document.html", context)

"""Bawaslu's release as a signed-off PDF document."""

from django.utils import timezone, translation

from sinergi.accounts.letterhead import letterhead, letterhead_of
from sinergi.accounts.models import Agency, User
from sinergi.core.pdf import render_pdf
from sinergi.elections.models import Election
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import within, zone_label
from sinergi.risk.models import Variable
from sinergi.risk.queries import collection_stage, release_for, rules_for
from sinergi.stations.queries import stations_visible_to


def issuing_agency(kind: str, area_code: str | None) -> Agency | None:
    """The agency of `kind` responsible at district level for the area: for a kecamatan or village
    user (a Polsek, a PKD), that of their district; for a province or national view, the only one
    in it if there is exactly one (a one-district deployment), else None."""
    agencies = Agency.objects.filter(kind=kind).select_related("region")
    if area_code is not None and codes.level_of(area_code) >= codes.DISTRICT:
        return agencies.filter(region_id=codes.district_of(area_code)).first()
    scoped = list(agencies.filter(within("region__code", area_code))[:2])
    return scoped[0] if len(scoped) == 1 else None


def release_pdf(user: User, election: Election, within_area: str = "") -> bytes:
    """The release as Bawaslu's PDF, issued by the Bawaslu of the area (`within_area`, else the
    user's; one district's Bawaslu when the area is a single district)."""
    result = release_for(user, election, within_area)
    agency = issuing_agency(Agency.Kind.BAWASLU, within_area or user.area_code)
    zone = election.zone_for(within_area or user.area_code)  # the issuing Bawaslu's clock
    kecamatans = sorted({d for entry in result.indicators for d in entry.by_kecamatan})
    names = dict(Region.objects.filter(code__in=kecamatans).values_list("code", "name"))
    several_ids = [sid for sid, _ in result.several_variables]
    stations = {s.pk: s for s in stations_visible_to(user, election).filter(pk__in=several_ids)}
    area = agency.region if agency else None
    context = {
        "election": election,
        "result": result,
        "rules": rules_for(election),
        "stage": collection_stage(election),
        "kop": letterhead_of(agency) if agency else letterhead(Agency.Kind.BAWASLU, None),
        "agency_name": agency.name if agency else "Bawaslu",
        "area_label": f"{area.get_kind_display()} {area.name} ({area.code})" if area else "",
        "place": area.name if area else "",
        "kecamatans": [(d, names.get(d, d)) for d in kecamatans],
        "matrix": [(entry, [entry.by_kecamatan.get(d, 0) for d in kecamatans]) for entry in result.indicators],
        "variables": [(v, result.by_variable.get(v.number, 0)) for v in Variable.objects.filter(election=election)],
        "several": [(stations[sid], numbers) for sid, numbers in result.several_variables if sid in stations],
        "printed_at": timezone.localtime(timezone=zone),
        "tz_label": zone_label(zone),
    }
    with translation.override("id"), timezone.override(zone):
        return render_pdf("risk/release_document.html", context)

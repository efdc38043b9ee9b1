"""The logistics requirements as a PDF recap (KPU), A4."""

from django.utils import timezone, translation

from sinergi.accounts.models import Agency, User
from sinergi.core.pdf import render_pdf
from sinergi.elections.models import Election
from sinergi.logistics.queries import requirements_for
from sinergi.regions.models import Region
from sinergi.risk.documents import issuing_agency


def requirements_pdf(user: User, election: Election) -> bytes:
    result = requirements_for(user, election)
    agency = issuing_agency(Agency.Kind.KPU, user.area_code)
    codes = list(result.by_village) + list(result.by_district)
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    districts = []
    for code, totals in result.by_district.items():
        villages = [(v, names.get(v, v), t) for v, t in result.by_village.items() if v.startswith(code + ".")]
        districts.append({"code": code, "name": names.get(code, code), "totals": totals, "villages": villages})
    context = {
        "election": election,
        "result": result,
        "items": [(item, result.total.items[item.code], result.reserves.get(item.code, 0), result.grand_total(item.code)) for item in result.items],
        "districts": districts,
        "agency_name": agency.name if agency else "KPU",
        "place": agency.region.name if agency else "",
        "printed_at": timezone.localtime(),
        "tz_label": election.time_zone_label.split(" ")[0],
    }
    with translation.override("id"):
        return render_pdf("logistics/requirements_document.html", context)

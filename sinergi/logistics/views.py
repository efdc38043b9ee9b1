from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sinergi.accounts.permissions import Perm, can, require
from sinergi.elections.queries import election_by_slug
from sinergi.logistics.documents import requirements_pdf
from sinergi.logistics.exports import requirements_csv, requirements_xlsx
from sinergi.logistics.forms import ReserveForm
from sinergi.logistics.queries import requirements_for
from sinergi.logistics.services import set_reserve
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.stations.queries import stations_visible_to


@login_required
def requirements_page(request, slug):
    """What the TPS of the user's area need, per kecamatan and village; KPU sets the reserves."""
    election = election_by_slug(slug)
    require(request.user, Perm.VIEW_LOGISTICS)
    district = Region.objects.filter(code=request.user.area_code, level=codes.REGENCY).first()
    form = None
    if can(request.user, Perm.MANAGE_LOGISTICS) and district is not None:
        result = requirements_for(request.user, election)
        form = ReserveForm(request.POST or None, items=result.items)
        if request.method == "POST" and form.is_valid():
            try:
                set_reserve(actor=request.user, election=election, region=district, item_code=form.cleaned_data["item"], quantity=form.cleaned_data["quantity"])
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                messages.success(request, _("Cadangan disimpan."))
                return redirect("logistics:requirements", slug=slug)
    elif request.method == "POST":
        require(request.user, Perm.MANAGE_LOGISTICS)
    result = requirements_for(request.user, election)
    names = dict(Region.objects.filter(code__in=list(result.by_district) + list(result.by_village)).values_list("code", "name"))
    items = result.items
    districts = [
        {
            "code": code,
            "name": names.get(code, code),
            "totals": totals,
            "counts": [totals.items[i.code] for i in items],
            "villages": [
                (names.get(v, v), t, [t.items[i.code] for i in items]) for v, t in result.by_village.items() if v.startswith(code + ".")
            ],
        }
        for code, totals in result.by_district.items()
    ]
    context = {
        "election": election,
        "result": result,
        "summary": [(i, result.total.items[i.code], result.reserves.get(i.code, 0), result.grand_total(i.code)) for i in items],
        "districts": districts,
        "form": form,
        "district": district,
    }
    return render(request, "logistics/requirements.html", context, status=400 if form is not None and form.errors else 200)


@login_required
@require_GET
def requirements_download(request, slug, fmt):
    election = election_by_slug(slug)
    if fmt == "pdf":
        response = HttpResponse(requirements_pdf(request.user, election), content_type="application/pdf")
    else:
        result = requirements_for(request.user, election)
        stations = list(stations_visible_to(request.user, election).select_related("village__parent"))
        if fmt == "csv":
            response = HttpResponse(requirements_csv(result, stations), content_type="text/csv; charset=utf-8")
        else:
            names = dict(Region.objects.filter(code__in=list(result.by_district) + list(result.by_village)).values_list("code", "name"))
            content = requirements_xlsx(result, stations, names)
            response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="kebutuhan-logistik-{election.slug}.{fmt}"'
    return response

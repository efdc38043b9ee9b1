from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sinergi.accounts.permissions import Perm, require
from sinergi.audit.queries import events_for_browsing
from sinergi.audit.services import seal_pending
from sinergi.core.params import text_param


@login_required
@require_GET
def audit_log(request):
    require(request.user, Perm.VIEW_AUDIT)
    seal_pending(wait=False)  # voting-day reports received in the last second appear too (unless someone is sealing now)
    filters = {key: text_param(request, key) for key in ("action", "username", "election")}
    page = Paginator(events_for_browsing(request.user, **filters), 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "filters": filters, "query": request.GET.copy()})

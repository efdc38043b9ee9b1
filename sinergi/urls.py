from django.contrib import admin
from django.urls import include, path

from sinergi.api import api

urlpatterns = [
    # The API first: a field app's report is matched at once instead of after every page's pattern.
    path("api/v1/", api.urls),
    # The deployment operator's admin: superusers only, every change audited (audit/admin_site.py).
    path("admin/", admin.site.urls),
    path("", include("sinergi.elections.urls")),
    path("", include("sinergi.stations.urls")),
    path("", include("sinergi.regions.urls")),
    path("", include("sinergi.risk.urls")),
    path("", include("sinergi.guard.urls")),
    path("", include("sinergi.logistics.urls")),
    path("", include("sinergi.supervisors.urls")),
    path("", include("sinergi.audit.urls")),
    path("", include("sinergi.cases.urls")),
    path("", include("sinergi.coordination.urls")),
    path("", include("sinergi.visits.urls")),
    path("", include("sinergi.situation.urls")),
    path("", include("sinergi.core.urls")),
    path("", include("sinergi.notifications.urls")),
    path("akun/", include("sinergi.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

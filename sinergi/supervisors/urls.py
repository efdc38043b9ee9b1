from django.urls import path

from sinergi.supervisors import views

app_name = "supervisors"
urlpatterns = [
    path("pemilihan/<slug:slug>/pengawas/", views.roster_page, name="roster"),
    path("pemilihan/<slug:slug>/pengawas/impor/", views.import_page, name="import"),
    path("pemilihan/<slug:slug>/pengawas/<int:pk>/", views.supervisor_page, name="detail"),
]

from django.urls import path

from sinergi.core import job_views

app_name = "core"
urlpatterns = [
    path("pemilihan/<slug:slug>/pekerjaan/<int:pk>/", job_views.job_status, name="job"),
    path("pemilihan/<slug:slug>/pekerjaan/<int:pk>/unduh/", job_views.job_file, name="job_file"),
]

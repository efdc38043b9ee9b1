from django.urls import path

from sinergi.visits import views

app_name = "visits"
urlpatterns = [
    path("pemilihan/<slug:slug>/kunjungan/", views.schedule, name="schedule"),
    path("pemilihan/<slug:slug>/kunjungan/baru/", views.visit_new, name="new"),
    path("pemilihan/<slug:slug>/kunjungan/<int:pk>/", views.visit_detail, name="detail"),
    path("pemilihan/<slug:slug>/kunjungan/<int:pk>/batal/", views.visit_cancel, name="cancel"),
    path("pemilihan/<slug:slug>/kunjungan/<int:pk>/selesai/", views.visit_complete, name="complete"),
    path("pemilihan/<slug:slug>/kunjungan/<int:pk>/laporan.pdf", views.report_pdf, name="report_pdf"),
    path("pemilihan/<slug:slug>/kunjungan/<int:pk>/tps/<int:stop_pk>/", views.stop_findings, name="stop"),
    path("pemilihan/<slug:slug>/kunjungan/<int:pk>/tps/<int:stop_pk>/terapkan/", views.stop_apply, name="apply"),
]

from django.urls import path

from sinergi.supervisors import report_views, views

app_name = "supervisors"
urlpatterns = [
    path("pemilihan/<slug:slug>/pengawas/", views.roster_page, name="roster"),
    path("pemilihan/<slug:slug>/pengawas/impor/", views.import_page, name="import"),
    path("pemilihan/<slug:slug>/pengawas/<int:pk>/", views.supervisor_page, name="detail"),
    path("pemilihan/<slug:slug>/pengawas/<int:pk>/surat-tugas.pdf", views.assignment_letter, name="letter"),
    path("pemilihan/<slug:slug>/pengawas/pelantikan/", views.inauguration_page, name="inauguration"),
    path("pemilihan/<slug:slug>/pengawas/pelantikan/<int:pk>/<str:kind>.pdf", views.session_pdf, name="session_pdf"),
    path("pengawas/hadir/<str:token>/", views.check_in_page, name="check_in"),
    path("pemilihan/<slug:slug>/pengawasan/", report_views.coverage_page, name="coverage"),
    path("sms/masuk/", report_views.sms_webhook, name="sms"),
    path("lapangan/", report_views.field_app, name="field_app"),
    path("lapangan/sw.js", report_views.field_app_worker, name="field_worker"),
    path("lapangan/manifest.webmanifest", report_views.field_app_manifest, name="field_manifest"),
    path("pemilihan/<slug:slug>/tps/<int:pk>/laporan/", report_views.station_reports_page, name="station_reports"),
    path("pemilihan/<slug:slug>/pengawasan/daftar-periksa/", report_views.checklist_page, name="checklists"),
    path("pemilihan/<slug:slug>/laporan/<int:pk>/form-a.pdf", report_views.form_a_pdf, name="form_a"),
    path("pemilihan/<slug:slug>/pengawasan/peta.json", report_views.coverage_layer, name="coverage_layer"),
    path("pemilihan/<slug:slug>/pengawasan/laporan.xlsx", report_views.coverage_xlsx, name="coverage_xlsx"),
]

from django.urls import path

from sinergi.supervisors import field_login_views, incident_views, report_views, views

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
    path("pemilihan/<slug:slug>/pengawas/kode-lapangan/buat/", field_login_views.issue_missing, name="field_codes_issue"),
    path("pemilihan/<slug:slug>/pengawas/kode-lapangan/sms/", field_login_views.send_missing_sms, name="field_codes_sms"),
    path("pemilihan/<slug:slug>/pengawas/kode-lapangan/slip.pdf", field_login_views.code_slips, name="field_codes_slips"),
    path("pemilihan/<slug:slug>/pengawas/<int:pk>/kode-lapangan/cabut/", field_login_views.revoke, name="field_code_revoke"),
    path("pemilihan/<slug:slug>/pengawas/<int:pk>/kode-lapangan/buat/", field_login_views.issue_one, name="field_code_issue"),
    path("pemilihan/<slug:slug>/pengawas/<int:pk>/kode-lapangan/sms/", field_login_views.send_one_sms, name="field_code_sms"),
    path("lapangan/masuk/", field_login_views.field_sign_in, name="field_sign_in"),
    path("lapangan/", report_views.field_app, name="field_app"),
    path("lapangan/sw.js", report_views.field_app_worker, name="field_worker"),
    path("lapangan/manifest.webmanifest", report_views.field_app_manifest, name="field_manifest"),
    path("pemilihan/<slug:slug>/tps/<int:pk>/laporan/", report_views.station_reports_page, name="station_reports"),
    path("pemilihan/<slug:slug>/pengawasan/daftar-periksa/", report_views.checklist_page, name="checklists"),
    path("pemilihan/<slug:slug>/laporan/<int:pk>/form-a.pdf", report_views.form_a_pdf, name="form_a"),
    path("pemilihan/<slug:slug>/pengawasan/tps/<int:pk>/", report_views.station_status_page, name="station_status"),
    path("pemilihan/<slug:slug>/pengawasan/peta.json", report_views.coverage_layer, name="coverage_layer"),
    path("pemilihan/<slug:slug>/kejadian/", incident_views.incidents_page, name="incidents"),
    path("pemilihan/<slug:slug>/kejadian/batas-waktu/", incident_views.response_timers_page, name="response_timers"),
    path("pemilihan/<slug:slug>/kejadian/<int:pk>/", incident_views.incident_page, name="incident"),
    path("pemilihan/<slug:slug>/kejadian/<int:pk>/<str:action>/", incident_views.incident_action, name="incident_action"),
    path("pemilihan/<slug:slug>/pengawasan/laporan.xlsx", report_views.coverage_xlsx, name="coverage_xlsx"),
]

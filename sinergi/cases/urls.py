from django.urls import path

from sinergi.cases import views

app_name = "cases"
urlpatterns = [
    # Public, no login: file a report, follow it by its tracking code.
    path("lapor/", views.public_home, name="public_home"),
    path("lapor/lacak/", views.public_track, name="public_track"),
    path("lapor/status/<str:code>/", views.public_status, name="public_status"),
    path("lapor/status/<str:code>/tanda-terima.pdf", views.public_receipt, name="public_receipt"),
    path("lapor/<slug:slug>/", views.public_report, name="public_report"),
    # Staff.
    path("pemilihan/<slug:slug>/perkara/", views.case_list, name="list"),
    path("pemilihan/<slug:slug>/perkara/temuan-baru/", views.new_finding, name="new_finding"),
    path("pemilihan/<slug:slug>/perkara/dari-kejadian/<int:incident_pk>/", views.from_incident, name="from_incident"),
    path("pemilihan/<slug:slug>/perkara/<int:pk>/", views.case_detail, name="detail"),
    path("pemilihan/<slug:slug>/perkara/<int:pk>/langkah/", views.take_step, name="take_step"),
    path("pemilihan/<slug:slug>/perkara/<int:pk>/langkah/<int:step_pk>.pdf", views.step_document, name="step_pdf"),
    path("pemilihan/<slug:slug>/perkara/<int:pk>/bukti/", views.add_evidence, name="add_evidence"),
    path("pemilihan/<slug:slug>/perkara/<int:pk>/bukti/<int:evidence_pk>/", views.evidence_file, name="evidence"),
    path("hari-libur/", views.days_off, name="days_off"),
]

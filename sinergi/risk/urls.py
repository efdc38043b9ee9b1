from django.urls import path

from sinergi.risk import views

app_name = "risk"
urlpatterns = [
    path("pemilihan/<slug:slug>/rawan/", views.release_page, name="release"),
    path("pemilihan/<slug:slug>/rawan/rilis.csv", views.release_download, {"fmt": "csv"}, name="release_csv"),
    path("pemilihan/<slug:slug>/rawan/rilis.xlsx", views.release_download, {"fmt": "xlsx"}, name="release_xlsx"),
    path("pemilihan/<slug:slug>/rawan/rilis.pdf", views.release_download, {"fmt": "pdf"}, name="release_pdf"),
    path("pemilihan/<slug:slug>/rawan/unggah/", views.upload, name="upload"),
    path("pemilihan/<slug:slug>/rawan/aturan/", views.rules_page, name="rules"),
    path("pemilihan/<slug:slug>/rawan/kelas/", views.classes_page, name="classes"),
    path("pemilihan/<slug:slug>/rawan/peta.json", views.map_layer, name="map_layer"),
    path("pemilihan/<slug:slug>/tps/<int:pk>/rawan/", views.checklist, name="checklist"),
    path("pemilihan/<slug:slug>/tps/<int:pk>/rawan/bukti/<str:code>/", views.evidence, name="evidence"),
    path("pemilihan/<slug:slug>/tps/<int:pk>/kelas/", views.set_class, name="set_class"),
    path("pemilihan/<slug:slug>/tps/<int:pk>/intel/", views.add_note, name="add_note"),
]

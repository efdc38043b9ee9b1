from django.urls import path

from sinergi.guard import views

app_name = "guard"
urlpatterns = [
    path("pemilihan/<slug:slug>/pengamanan/", views.plan_page, name="plan"),
    path("pemilihan/<slug:slug>/pengamanan/rencana.csv", views.plan_download, {"fmt": "csv"}, name="plan_csv"),
    path("pemilihan/<slug:slug>/pengamanan/rencana.xlsx", views.plan_download, {"fmt": "xlsx"}, name="plan_xlsx"),
    path("pemilihan/<slug:slug>/pengamanan/rencana.pdf", views.plan_download, {"fmt": "pdf"}, name="plan_pdf"),
    path("pemilihan/<slug:slug>/pengamanan/peta.json", views.map_layer, name="map_layer"),
    path("pemilihan/<slug:slug>/pengamanan/wilayah-polsek/", views.polsek_areas_page, name="polsek_areas"),
    path("pemilihan/<slug:slug>/pengamanan/formasi/impor/", views.formation_import, name="formation_import"),
    path("pemilihan/<slug:slug>/pengamanan/formasi.xlsx", views.formation_download, name="formation_xlsx"),
]

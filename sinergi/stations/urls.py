from django.urls import path

from sinergi.stations import views

app_name = "stations"
urlpatterns = [
    path("pemilihan/<slug:slug>/tps/", views.station_list, name="list"),
    path("pemilihan/<slug:slug>/tps/<int:pk>/", views.station_detail, name="detail"),
    path("pemilihan/<slug:slug>/tps/impor/", views.station_import, name="import"),
    path("pemilihan/<slug:slug>/tps/ekspor.csv", views.station_export, {"fmt": "csv"}, name="export_csv"),
    path("pemilihan/<slug:slug>/tps/ekspor.xlsx", views.station_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("pemilihan/<slug:slug>/peta/", views.station_map, name="map"),
    path("pemilihan/<slug:slug>/peta/tps.json", views.station_points, name="points"),
]

from django.urls import path

from sinergi.regions import views

app_name = "regions"
urlpatterns = [
    path("wilayah/batas-desa.geojson", views.village_boundaries, name="village_boundaries"),
]

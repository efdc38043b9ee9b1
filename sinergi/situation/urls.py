from django.urls import path

from sinergi.situation import views

app_name = "situation"
urlpatterns = [
    path("situasi/", views.newest, name="newest"),
    path("pemilihan/<slug:slug>/situasi/", views.room, name="room"),
    path("pemilihan/<slug:slug>/situasi/terkini/", views.live, name="live"),
    path("pemilihan/<slug:slug>/situasi/pengamanan/", views.guard, name="guard"),
    path("pemilihan/<slug:slug>/situasi/batas-waktu/", views.deadlines, name="deadlines"),
    path("pemilihan/<slug:slug>/situasi/rekap/", views.rollup, name="rollup"),
    path("pemilihan/<slug:slug>/situasi/peringatan/", views.alert_list, name="alerts"),
    path("pemilihan/<slug:slug>/situasi/lapisan/<slug:kind>.geojson", views.layer, name="layer"),
]

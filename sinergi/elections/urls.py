from django.urls import path

from sinergi.elections import views

app_name = "elections"
urlpatterns = [
    path("", views.home, name="home"),
    path("pemilihan/<slug:slug>/", views.overview, name="overview"),
    path("pemilihan/<slug:slug>/tahapan/", views.stage_dates, name="stage_dates"),
]

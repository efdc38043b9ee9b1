from django.urls import path

from sinergi.logistics import views

app_name = "logistics"
urlpatterns = [
    path("pemilihan/<slug:slug>/logistik/", views.requirements_page, name="requirements"),
    path("pemilihan/<slug:slug>/logistik/distribusi/", views.distribution_page, name="distribution"),
    path("pemilihan/<slug:slug>/logistik/kebutuhan.csv", views.requirements_download, {"fmt": "csv"}, name="requirements_csv"),
    path("pemilihan/<slug:slug>/logistik/kebutuhan.xlsx", views.requirements_download, {"fmt": "xlsx"}, name="requirements_xlsx"),
    path("pemilihan/<slug:slug>/logistik/kebutuhan.pdf", views.requirements_download, {"fmt": "pdf"}, name="requirements_pdf"),
]

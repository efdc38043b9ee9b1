from django.urls import path

from sinergi.logistics import custody_views, export_views, network_views, views

app_name = "logistics"
urlpatterns = [
    path("pemilihan/<slug:slug>/logistik/", views.requirements_page, name="requirements"),
    path("pemilihan/<slug:slug>/logistik/distribusi/", views.distribution_page, name="distribution"),
    path("pemilihan/<slug:slug>/logistik/distribusi/rencana.xlsx", views.distribution_xlsx, name="distribution_xlsx"),
    path("pemilihan/<slug:slug>/logistik/distribusi/peta.json", views.distribution_layer, name="distribution_layer"),
    path("pemilihan/<slug:slug>/logistik/jaringan/", network_views.network_page, name="network"),
    path("pemilihan/<slug:slug>/logistik/jaringan/jaringan.json", network_views.network_json, name="network_json"),
    path("pemilihan/<slug:slug>/logistik/jaringan/aturan/", network_views.rules_form, {"part": "aturan"}, name="network_rules"),
    path("pemilihan/<slug:slug>/logistik/jaringan/pengawalan/", network_views.rules_form, {"part": "pengawalan"}, name="network_escorts"),
    path("pemilihan/<slug:slug>/logistik/jaringan/tempat/baru/", network_views.row_form, {"section": "tempat"}, name="place_add"),
    path("pemilihan/<slug:slug>/logistik/jaringan/tempat/<int:pk>/", network_views.row_form, {"section": "tempat"}, name="place_edit"),
    path("pemilihan/<slug:slug>/logistik/jaringan/tempat/<int:pk>/hapus/", network_views.row_delete, {"section": "tempat"}, name="place_delete"),
    path("pemilihan/<slug:slug>/logistik/jaringan/penyeberangan/baru/", network_views.row_form, {"section": "penyeberangan"}, name="crossing_add"),
    path("pemilihan/<slug:slug>/logistik/jaringan/penyeberangan/<int:pk>/", network_views.row_form, {"section": "penyeberangan"}, name="crossing_edit"),
    path("pemilihan/<slug:slug>/logistik/jaringan/penyeberangan/<int:pk>/hapus/", network_views.row_delete, {"section": "penyeberangan"}, name="crossing_delete"),
    path("pemilihan/<slug:slug>/logistik/jaringan/kendaraan/baru/", network_views.row_form, {"section": "kendaraan"}, name="vehicle_add"),
    path("pemilihan/<slug:slug>/logistik/jaringan/kendaraan/<int:pk>/", network_views.row_form, {"section": "kendaraan"}, name="vehicle_edit"),
    path("pemilihan/<slug:slug>/logistik/jaringan/kendaraan/<int:pk>/hapus/", network_views.row_delete, {"section": "kendaraan"}, name="vehicle_delete"),
    path("pemilihan/<slug:slug>/logistik/status/", custody_views.board_page, name="board"),
    path("pemilihan/<slug:slug>/logistik/status/peta.json", custody_views.board_layer, name="board_layer"),
    path("pemilihan/<slug:slug>/logistik/konsinyasi/<int:pk>/", custody_views.consignment_page, name="consignment"),
    path("pemilihan/<slug:slug>/logistik/konsinyasi/<int:pk>/berita-acara/<int:sequence>.pdf", custody_views.handover_pdf, name="handover_pdf"),
    path("pemilihan/<slug:slug>/logistik/distribusi/<str:convoy_id>/surat-jalan.pdf", custody_views.manifest_pdf, name="manifest_pdf"),
    path("logistik/qr/<str:token>/", custody_views.qr_open, name="qr"),
    path("pemilihan/<slug:slug>/logistik/kebutuhan.csv", export_views.requirements_download, {"fmt": "csv"}, name="requirements_csv"),
    path("pemilihan/<slug:slug>/logistik/kebutuhan.xlsx", export_views.requirements_download, {"fmt": "xlsx"}, name="requirements_xlsx"),
    path("pemilihan/<slug:slug>/logistik/kebutuhan.pdf", export_views.requirements_download, {"fmt": "pdf"}, name="requirements_pdf"),
]

from django.urls import path

from sinergi.guard import post_views, views

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
    path("pemilihan/<slug:slug>/pengamanan/pos/", post_views.posts_page, name="posts"),
    path("pemilihan/<slug:slug>/pengamanan/pos/tetapkan/", post_views.fix_plan_view, name="fix_plan"),
    path("pemilihan/<slug:slug>/pengamanan/pos/<int:pk>/", post_views.post_page, name="post"),
    path("pemilihan/<slug:slug>/pengamanan/lapangan/", post_views.field_app, name="field_app"),
    path("pemilihan/<slug:slug>/pengamanan/lapangan/sw.js", post_views.field_app_worker, name="field_worker"),
]

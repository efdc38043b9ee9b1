from django.urls import path

from sinergi.coordination import views

app_name = "coordination"
urlpatterns = [
    path("pemilihan/<slug:slug>/rapat/", views.meeting_list, name="list"),
    path("pemilihan/<slug:slug>/rapat/baru/", views.meeting_new, name="new"),
    path("pemilihan/<slug:slug>/rapat/tindak-lanjut/", views.by_agency, name="by_agency"),
    path("pemilihan/<slug:slug>/rapat/tindak-lanjut.xlsx", views.items_xlsx, name="items_xlsx"),
    path("pemilihan/<slug:slug>/rapat/<int:pk>/", views.meeting_detail, name="detail"),
    path("pemilihan/<slug:slug>/rapat/<int:pk>/ubah/", views.meeting_edit, name="edit"),
    path("pemilihan/<slug:slug>/rapat/<int:pk>/notulen.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("pemilihan/<slug:slug>/rapat/<int:pk>/tindak-lanjut/<int:item_pk>/", views.action_item, name="item"),
]

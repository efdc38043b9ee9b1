from django.urls import path

from sinergi.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifikasi/", views.notification_list, name="list"),
    path("notifikasi/baca/", views.mark_read, name="mark_read"),
    path("notifikasi/<int:pk>/buka/", views.open_notification, name="open"),
    path("notifikasi/<int:pk>/konfirmasi/", views.acknowledge, name="acknowledge"),
    path("notifikasi/push/langganan/", views.push_subscribe, name="push_subscribe"),
    path("notifikasi/push/berhenti/", views.push_unsubscribe, name="push_unsubscribe"),
    path("notifikasi/sw.js", views.service_worker, name="service_worker"),
    path("pemilihan/<slug:slug>/siaran/", views.broadcast_list, name="broadcasts"),
    path("pemilihan/<slug:slug>/siaran/<int:pk>/", views.broadcast_detail, name="broadcast"),
    path("pemilihan/<slug:slug>/pengawasan/ingatkan/", views.nudge, name="nudge"),
]

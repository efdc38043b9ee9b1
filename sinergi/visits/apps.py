from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "sinergi.visits"
    label = "visits"

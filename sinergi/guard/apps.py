from django.apps import AppConfig


class GuardConfig(AppConfig):
    name = "sinergi.guard"
    label = "guard"

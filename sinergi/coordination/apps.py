from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "sinergi.coordination"
    label = "coordination"

from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    name = "sinergi.logistics"
    label = "logistics"

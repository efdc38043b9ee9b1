from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "sinergi.risk"
    label = "risk"

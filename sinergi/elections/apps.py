from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "sinergi.elections"
    label = "elections"

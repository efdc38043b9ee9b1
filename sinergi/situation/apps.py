from django.apps import AppConfig


class SituationConfig(AppConfig):
    name = "sinergi.situation"
    label = "situation"

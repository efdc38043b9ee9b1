from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "sinergi.stations"
    label = "stations"

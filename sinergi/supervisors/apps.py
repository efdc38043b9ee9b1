from django.apps import AppConfig


class SupervisorsConfig(AppConfig):
    name = "sinergi.supervisors"
    label = "supervisors"

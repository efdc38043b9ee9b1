from django.apps import AppConfig


class SupervisorsConfig(AppConfig):
    name = "sinergi.supervisors"
    label = "supervisors"

    def ready(self):
        from sinergi.audit.services import SEALERS
        from sinergi.supervisors.sealing import seal_pending

        SEALERS.append(seal_pending)

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app builds on (jobs, tasks, the scheduler, files, PDFs, tables, settings parsing).
    It imports no other app of Sinergi's (tests/core/test_layering.py)."""

    name = "sinergi.core"
    label = "core"

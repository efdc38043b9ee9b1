from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "sinergi.core"
    label = "core"


class SinergiAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with Sinergi's site (superusers only, audited): core/admin.py."""

    default = False  # named in INSTALLED_APPS; CoreConfig stays the default of this module
    default_site = "sinergi.core.admin.SinergiAdminSite"

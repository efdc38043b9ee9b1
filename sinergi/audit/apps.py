from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "sinergi.audit"
    label = "audit"
    verbose_name = _("Audit")


class SinergiAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with Sinergi's site (superusers only, every change audited): admin_site.py."""

    default = False  # named in INSTALLED_APPS; AuditConfig stays the default of this module
    default_site = "sinergi.audit.admin_site.SinergiAdminSite"

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "apart.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"


class ApartAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with a site for active administrators only."""

    default = False
    default_site = "apart.accounts.admin_site.AgentAdminSite"

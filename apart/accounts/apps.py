from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "apart.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The login flow writes last_login with last_login_ip in one UPDATE
        # (apart.accounts.authentication._open_session): one database round trip less per login.
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")


class ApartAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with a site for active administrators only."""

    default = False
    default_site = "apart.accounts.admin_site.AgentAdminSite"

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Personal data (RGPD): export for the helpdesk, purge after the retention periods."""

    name = "apart.privacy"
    label = "privacy"
    verbose_name = "données personnelles"

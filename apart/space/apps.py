from django.apps import AppConfig


class SpaceConfig(AppConfig):
    """The employer's space: dashboard, help page, "Mon compte"."""

    name = "apart.space"
    label = "space"
    verbose_name = "Espace employeur"

from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "apart.accounts.recovery"
    label = "recovery"
    verbose_name = "récupération de compte"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class HabilitationsConfig(AppConfig):
    name = "apart.habilitations"
    label = "habilitations"
    default_auto_field = "django.db.models.BigAutoField"

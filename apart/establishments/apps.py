from django.apps import AppConfig


class EstablishmentsConfig(AppConfig):
    name = "apart.establishments"
    label = "establishments"
    default_auto_field = "django.db.models.BigAutoField"

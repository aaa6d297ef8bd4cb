from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "apart.registration"
    label = "registration"
    default_auto_field = "django.db.models.BigAutoField"

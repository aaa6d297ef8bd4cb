from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "apart.mfa"
    label = "mfa"
    verbose_name = "Double authentification"

from django.apps import AppConfig


class ProConnectConfig(AppConfig):
    name = "apart.proconnect"
    label = "proconnect"
    verbose_name = "ProConnect"

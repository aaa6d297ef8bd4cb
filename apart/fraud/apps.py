from django.apps import AppConfig


class FraudConfig(AppConfig):
    name = "apart.fraud"
    label = "fraud"
    verbose_name = "signaux de fraude"

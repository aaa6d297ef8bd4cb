from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "apart.metrics"
    verbose_name = "Métriques d'exploitation"

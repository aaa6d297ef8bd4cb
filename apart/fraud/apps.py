from django.apps import AppConfig


class FraudConfig(AppConfig):
    name = "apart.fraud"
    label = "fraud"
    verbose_name = "signaux de fraude"

    def ready(self) -> None:
        # The lower apps call the fraud rules through apart.core.hooks (no upward import).
        from apart.core.hooks import register_fraud_checks
        from apart.fraud.hooks import FraudRules

        register_fraud_checks(FraudRules())

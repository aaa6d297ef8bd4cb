from django.apps import AppConfig

from apart.core.hooks import register_fraud_checks


class FraudConfig(AppConfig):
    name = "apart.fraud"
    label = "fraud"
    verbose_name = "signaux de fraude"

    def ready(self) -> None:
        # The lower apps call the fraud rules through apart.core.hooks (no upward import). The
        # import waits for ready(): the rules read models, not loaded when apps.py is imported.
        from apart.fraud.hooks import FraudRules

        register_fraud_checks(FraudRules())

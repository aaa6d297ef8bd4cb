from django.apps import AppConfig


class DapConfig(AppConfig):
    """Demandes d'autorisation préalable (DAP) and the decisions taken on them."""

    name = "apart.dap"
    label = "dap"
    verbose_name = "Demandes d'autorisation préalable"

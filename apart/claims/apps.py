from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    """Demandes d'indemnisation (DI): monthly claims under an accepted decision."""

    name = "apart.claims"
    label = "claims"
    verbose_name = "Demandes d'indemnisation"

"""`manage.py fraud_refresh`: compute the fraud signals of every open item again (after an
operator changed a threshold, docs/fraud.md): pending habilitation requests, DAP awaiting a
decision, DI transmitted or validated."""

from typing import Any

from django.core.management.base import BaseCommand

from apart.claims.models import Claim
from apart.dap.models import AuthorisationRequest
from apart.fraud import bulk, services
from apart.fraud.facts import FactsCache
from apart.habilitations.models import Habilitation


class Command(BaseCommand):
    help = "Recalcule les signaux de fraude des demandes en cours."

    def handle(self, *args: Any, **options: Any) -> None:
        cache = FactsCache()
        habilitations = Habilitation.objects.filter(status=Habilitation.Status.PENDING)
        for habilitation in habilitations:
            services.refresh_habilitation(habilitation=habilitation, cache=cache)
        daps = AuthorisationRequest.objects.filter(
            status__in=AuthorisationRequest.OPEN_STATUSES
        ).select_related("establishment")
        for dap in daps:
            services.refresh_dap(dap=dap, cache=cache)
        report = bulk.refresh_claims(
            Claim.objects.filter(status__in=[Claim.Status.SUBMITTED, Claim.Status.VALIDATED])
        )
        self.stdout.write(
            f"{habilitations.count()} demande(s) d'habilitation, {daps.count()} DAP, "
            f"{report.assessed} DI évaluées ({report.flagged} avec au moins un signal)."
        )

"""The fraud rules as the lower apps reach them (``apart.core.hooks.FraudChecks``), registered
by ``FraudConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model

from apart.accounts.models import Account
from apart.claims.models import Claim
from apart.dap.models import AuthorisationRequest
from apart.establishments.models import Establishment
from apart.fraud import services
from apart.habilitations.models import Habilitation


class FraudRules:
    def assess(self, *, subject: Model) -> None:
        if isinstance(subject, Habilitation):
            services.refresh_habilitation(habilitation=subject)
        elif isinstance(subject, AuthorisationRequest):
            services.refresh_dap(dap=subject)
        elif isinstance(subject, Claim):
            services.refresh_claim(claim=subject)
        else:
            raise TypeError(f"no fraud assessment for {type(subject).__name__}")

    def assess_establishment(self, *, establishment: Model, ibans: Iterable[str] = ()) -> None:
        if not isinstance(establishment, Establishment):
            raise TypeError(f"not an establishment: {type(establishment).__name__}")
        services.refresh_establishment(establishment=establishment, ibans=ibans)

    def check_approval(self, *, subject: Model, actor: Account | None) -> None:
        services.check_approval(subject=subject, actor=actor)

    def close_on_decision(self, *, subject: Model, approved: bool, actor: Account | None) -> None:
        services.close_on_decision(subject=subject, approved=approved, actor=actor)

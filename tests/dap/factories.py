"""DAP, decisions and claims made through the real services (rules and audit included)."""

import datetime
from decimal import Decimal
from typing import Any

from apart.accounts.models import Account
from apart.dap import services
from apart.dap.models import AuthorisationRequest, Decision, Kind, Reason
from apart.establishments.models import Establishment
from apart.habilitations.dates import paris_today
from apart.habilitations.models import Habilitation
from tests.habilitations.factories import make_agent
from tests.space.factories import complete_fiche, employer_with_establishments


def employer_with_complete_fiche(**fiche: Any) -> tuple[Account, Establishment]:
    account = employer_with_establishments(1)
    establishment = Habilitation.objects.get(account=account).establishments.get()
    complete_fiche(establishment, **fiche)
    return account, Establishment.objects.select_related("fiche").get(pk=establishment.pk)


def dap_values(**overrides: Any) -> dict[str, Any]:
    """A DAP for the economic situation, starting in 10 days (deposited beforehand)."""
    start = paris_today() + datetime.timedelta(days=10)
    values: dict[str, Any] = {
        "reason": Reason.ECONOMIC,
        "reason_details": "Baisse des commandes de 40 %.",
        "start_date": start,
        "end_date": start + datetime.timedelta(days=59),
        "employees": 8,
        "hours_requested": Decimal("600"),
        "kind": Kind.REDUCTION,
        "cse_consulted_on": None,
        "cse_opinion": "",
        "previous_use": False,
        "commitments": "",
    }
    values.update(overrides)
    return values


def make_draft(
    account: Account, establishment: Establishment, **overrides: Any
) -> AuthorisationRequest:
    return services.save_draft(
        establishment=establishment, values=dap_values(**overrides), actor=account
    )


def make_submitted(
    account: Account, establishment: Establishment, **overrides: Any
) -> AuthorisationRequest:
    return services.submit_dap(dap=make_draft(account, establishment, **overrides), actor=account)


def make_accepted(
    account: Account,
    establishment: Establishment,
    *,
    hours: Decimal | None = None,
    **overrides: Any,
) -> Decision:
    dap = make_submitted(account, establishment, **overrides)
    return services.decide_dap(
        dap=dap, actor=make_agent(), accept=True, reason="", hours_authorised=hours
    )


def form_data(establishment: Establishment, **overrides: Any) -> dict[str, Any]:
    """The DAP form as a browser posts it."""
    values = dap_values()
    data = {
        "establishment": str(establishment.pk),
        "reason": values["reason"],
        "reason_details": values["reason_details"],
        "start_date": values["start_date"].isoformat(),
        "end_date": values["end_date"].isoformat(),
        "employees": "8",
        "hours_requested": "600",
        "kind": values["kind"],
        "cse_consulted_on": "",
        "cse_opinion": "",
        "commitments": "",
    }
    data.update(overrides)
    return data

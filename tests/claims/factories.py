"""An authorisation granted in January 2026 (15/01 to 15/03/2026, 600 h) and claims under it."""

import datetime
from decimal import Decimal

import time_machine

from apart.claims import services
from apart.dap.models import Decision
from apart.establishments.models import EstablishmentFiche
from apart.habilitations.dates import PARIS
from tests.dap.factories import employer_with_complete_fiche, make_accepted

JANUARY = datetime.datetime(2026, 1, 5, 10, 0, tzinfo=PARIS)
APRIL = datetime.datetime(2026, 4, 1, 10, 0, tzinfo=PARIS)
START, END = datetime.date(2026, 1, 15), datetime.date(2026, 3, 15)


def nir(base13: str) -> str:
    """A NIR with its key (97 minus the number modulo 97)."""
    return base13 + f"{97 - int(base13) % 97:02d}"


NIR_1 = nir("1850578006084")
NIR_2 = nir("2920175123456")


def granted_decision(hours: Decimal | None = None, **fiche):
    with time_machine.travel(JANUARY, tick=False):
        account, establishment = employer_with_complete_fiche(**fiche)
        decision = make_accepted(
            account, establishment, hours=hours, start_date=START, end_date=END
        )
    return account, establishment, Decision.objects.get(pk=decision.pk)


def line(claim, account, *, nir_value=NIR_1, hours="35", gross="30.00", **names):
    return services.add_line(
        claim=claim,
        last_name=names.get("last_name", "Martin"),
        first_name=names.get("first_name", "Julie"),
        nir=nir_value,
        hours=Decimal(hours),
        hourly_gross=Decimal(gross),
        actor=account,
    )


def submitted_claim(month=datetime.date(2026, 2, 1), **line_values):
    account, _establishment, decision = granted_decision()
    claim = services.create_claim(decision=decision, month=month, actor=account)
    line(claim, account, **line_values)
    return account, services.submit_claim(claim=claim, actor=account)


def current_bank_of(claim):
    """The establishment's current bank-details version."""
    establishment = claim.decision.request.establishment
    return EstablishmentFiche.objects.get(establishment=establishment).bank_version

"""Employers with an active APART habilitation and their establishments, made through the real
models (the registration journey is tested elsewhere)."""

import datetime
import itertools
from typing import Any

from django.db import transaction

from apart.accounts.models import Account
from apart.establishments.models import Establishment, EstablishmentFiche
from apart.establishments.services.fiche import current_bank_version, recompute_completeness
from apart.habilitations.models import Habilitation
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.habilitations.factories import ensure_applications, make_habilitation

_seq = itertools.count(1)
VALID_IBAN = "FR7630006000011234567890189"
VALID_BIC = "AGRIFRPP882"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def siret_for(n: int) -> str:
    """A valid SIRET (SIREN 900000001, Luhn-valid NIC) that no SIRENE extract knows."""
    base = f"900000001{n % 10000:04d}"
    return next(base + str(d) for d in range(10) if _luhn_ok(base + str(d)))


def make_employer(**overrides: Any) -> Account:
    """An employer who has changed their first password (logs in with STRONG_PASSWORD)."""
    return make_active_account(**overrides)


def make_establishment(*, main_contact: Account, **fields: Any) -> Establishment:
    n = next(_seq)
    values: dict[str, Any] = {
        "siret": siret_for(n),
        "denomination": f"CLEAN DESK {n:03d}",
        "street_number": "12",
        "street_type": "Rue",
        "street_name": "de la Paix",
        "postal_code": "75002",
        "city": "PARIS",
        "email": f"contact{n}@clean-desk.fr",
        "phone": "+33102030405",
        "main_contact": main_contact,
    }
    values.update(fields)
    return Establishment.objects.create(**values)


def habilitate(
    account: Account, *establishments: Establishment, status: str = Habilitation.Status.ACTIVE
) -> Habilitation:
    """An APART habilitation of ``account`` covering ``establishments``."""
    ensure_applications()
    start = datetime.date.today() - datetime.timedelta(days=1) if status == "active" else None
    habilitation = make_habilitation(
        account=account, status=status, start=start, establishment=establishments[0]
    )
    habilitation.establishments.add(*establishments[1:])
    return habilitation


def employer_with_establishments(count: int = 1, **overrides: Any) -> Account:
    account = make_employer(**overrides)
    establishments = [make_establishment(main_contact=account) for _ in range(count)]
    habilitate(account, *establishments)
    return account


def complete_fiche(establishment: Establishment, **overrides: Any) -> EstablishmentFiche:
    values: dict[str, Any] = {
        "contact_last_name": "Martig",
        "contact_first_name": "Jean-Christophe",
        "contact_role": "Gérant",
        "contact_email": "jc.martig@clean-desk.fr",
        "contact_phone": "+33102030405",
        "mail_same_address": True,
        "workforce": 12,
        "naf_code": "81.21Z",
        "idcc": "3043",
        "iban": VALID_IBAN,
        "bic": VALID_BIC,
        "account_holder": "CLEAN DESK SARL",
    }
    values.update(overrides)
    values["bank_version"] = None  # the bank details below become a new version (no author)
    EstablishmentFiche.objects.update_or_create(establishment=establishment, defaults=values)
    recompute_completeness(establishment=establishment)
    with transaction.atomic():
        current_bank_version(establishment=establishment)
    return EstablishmentFiche.objects.get(establishment=establishment)


def log_in(
    client: Any, account: Account, password: str = STRONG_PASSWORD, *, recent_auth: bool = False
) -> None:
    """Log in through the real login page (so the gate and the audit row are the real ones);
    ``recent_auth`` also confirms the password on « Mot de passe actuel », as a person about to
    make a sensitive change does."""
    client.get("/connexion/")
    response = client.post("/connexion/", {"login": account.login, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    if recent_auth:
        confirm_password(client, password=password)


def confirm_password(
    client: Any, next_path: str = "/espace/", password: str = STRONG_PASSWORD
) -> None:
    """« Mot de passe actuel » (recent authentication), as the page asks before a sensitive
    change."""
    client.get(f"/confirmer-mon-identite/?next={next_path}")
    response = client.post("/confirmer-mon-identite/", {"password": password, "next": next_path})
    assert response.status_code == 302, response.content.decode()[:2000]

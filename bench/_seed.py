"""Data for the cluster tests and the surge benchmark, written straight into the cluster's database.

Run inside the cluster (``cluster.python(...)``: Django is set up on its database). The password
and secret-answer hashes are computed once with the configured hasher and shared by every seeded
account: seeding thousands of accounts then costs no hashing, while each login still verifies a
real Argon2id hash.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

PASSWORD = "Surge-2020!ok"  # noqa: S105 (the seeded accounts of a throwaway database)
QUESTION = "Ma première voiture ?"
ANSWER = "Cylindrée"


def luhn_complete(prefix: str) -> str:
    """``prefix`` followed by the digit that makes it pass Luhn."""
    for last in "0123456789":
        total = 0
        for index, char in enumerate(reversed(prefix + last)):
            digit = int(char) * (2 if index % 2 else 1)
            total += digit - 9 if digit > 9 else digit
        if total % 10 == 0:
            return prefix + last
    raise AssertionError("unreachable")


def siret(series: int, index: int) -> str:
    """A valid SIRET (valid SIREN too), distinct for each (series, index)."""
    siren = luhn_complete(f"{series:02d}{index:06d}")
    return luhn_complete(f"{siren}0001")


def seed_employers(*, prefix: str, count: int, series: int = 11) -> list[dict[str, Any]]:
    """``count`` employers able to log in (active APART habilitation, one establishment each),
    logins ``<prefix><i>``, password PASSWORD, secret answer ANSWER. Prints nothing; returns
    [{"login", "email", "establishment"}]."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from apart.accounts.models import Account
    from apart.core.normalize import fold
    from apart.establishments.models import Establishment
    from apart.habilitations.models import Application, Habilitation

    password_hash = make_password(PASSWORD)
    answer_hash = make_password(fold(ANSWER))
    application = Application.objects.get(code=Application.APART)
    today = timezone.localdate()
    seeded = []
    with transaction.atomic():
        accounts = Account.objects.bulk_create(
            Account(
                login=f"{prefix}{i}",
                first_name="Bench",
                last_name=f"Employeur{i}",
                email=f"{prefix}{i}@bench.example.fr",
                phone="0102030405",
                password=password_hash,
                secret_question=QUESTION,
                secret_answer_hash=answer_hash,
                password_changed_at=timezone.now(),
            )
            for i in range(count)
        )
        establishments = Establishment.objects.bulk_create(
            Establishment(
                siret=siret(series, i),
                denomination=f"BENCH {prefix.upper()} {i}",
                street_number="12",
                street_type="Rue",
                street_name="de la Paix",
                postal_code="75002",
                city="Paris",
                email=f"contact{i}@{prefix}.bench.example.fr",
                phone="0142685300",
                main_contact=account,
            )
            for i, account in enumerate(accounts)
        )
        habilitations = Habilitation.objects.bulk_create(
            Habilitation(
                account=account,
                application=application,
                status=Habilitation.Status.ACTIVE,
                start_date=today - datetime.timedelta(days=30),
                end_date=today + datetime.timedelta(days=335),
            )
            for account in accounts
        )
        through = Habilitation.establishments.through
        through.objects.bulk_create(
            through(habilitation_id=h.pk, establishment_id=e.pk)
            for h, e in zip(habilitations, establishments, strict=True)
        )
    for account, establishment in zip(accounts, establishments, strict=True):
        seeded.append(
            {"login": account.login, "email": account.email, "establishment": establishment.pk}
        )
    return seeded


def seed_directory(*, count: int, series: int = 21) -> list[str]:
    """``count`` open, diffusible SIRENE establishments nobody registered yet; their SIRETs."""
    from django.db import transaction

    from apart.directory.models import DirectoryEstablishment, LegalUnit

    sirets = [siret(series, i) for i in range(count)]
    with transaction.atomic():
        LegalUnit.objects.bulk_create(
            LegalUnit(
                siren=s[:9],
                denomination=f"SURGE {i}",
                legal_name=f"SURGE {i}",
                state="A",
                diffusion="O",
            )
            for i, s in enumerate(sirets)
        )
        DirectoryEstablishment.objects.bulk_create(
            DirectoryEstablishment(
                siret=s,
                siren=s[:9],
                street_number="12",
                street_number_extension="",
                street_type="RUE",
                street_name="DE LA PAIX",
                address_complement="",
                postal_code="75002",
                city="PARIS",
                state="A",
                diffusion="O",
                naf_code="81.21Z",
                workforce_bracket="11",
                is_head_office=True,
            )
            for s in sirets
        )
    return sirets


def dump(value: object) -> None:
    """Print ``value`` as JSON on one line (what cluster.python() returns)."""
    print(json.dumps(value))

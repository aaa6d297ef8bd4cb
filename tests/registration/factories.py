"""Builders for registration tests: SIRENE directory rows, valid SIRETs, a filled step 2."""

import itertools
from typing import Any

from apart.directory.models import DirectoryEstablishment, LegalUnit

_seq = itertools.count(1)


def luhn_complete(prefix: str) -> str:
    """``prefix`` followed by the digit that makes a valid Luhn number."""
    for last in "0123456789":
        digits = [int(c) for c in prefix + last]
        total = 0
        for index, digit in enumerate(reversed(digits)):
            if index % 2:
                digit *= 2
                digit -= 9 if digit > 9 else 0
            total += digit
        if total % 10 == 0:
            return prefix + last
    raise AssertionError("unreachable")


def new_siret() -> str:
    """A valid SIRET (its SIREN is valid too, as stdnum checks both)."""
    siren = luhn_complete(f"{44373000 + next(_seq) * 7:08d}")
    return luhn_complete(f"{siren}0001")


def make_sirene(
    siret: str | None = None,
    *,
    denomination: str = "CLEAN DESK",
    state: str = "A",
    diffusion: str = "O",
    **fields: Any,
) -> DirectoryEstablishment:
    """A SIRENE establishment (and its legal unit), as the importer would store it."""
    siret = siret or new_siret()
    LegalUnit.objects.get_or_create(
        siren=siret[:9],
        defaults={
            "denomination": denomination,
            "legal_name": denomination,
            "state": "A",
            "diffusion": diffusion,
        },
    )
    values: dict[str, Any] = {
        "siret": siret,
        "siren": siret[:9],
        "street_number": "12",
        "street_number_extension": "B",
        "street_type": "RUE",
        "street_name": "DE LA PAIX",
        "address_complement": "",
        "postal_code": "75002",
        "city": "PARIS",
        "state": state,
        "diffusion": diffusion,
        "naf_code": "81.21Z",
        "workforce_bracket": "11",
        "is_head_office": True,
    }
    values.update(fields)
    return DirectoryEstablishment.objects.create(**values)


def person(n: int | str = "", **overrides: str) -> dict[str, str]:
    """The "Compte utilisateur à créer" block, as typed."""
    values = {
        "last_name": "Menuça",
        "first_name": "Gérard",
        "phone": "06 12 34 56 78",
        "email": f"gerard.menuca{n}@example.fr",
        "email_confirm": f"gerard.menuca{n}@example.fr",
        "secret_question": "Ma première voiture ?",
        "secret_answer": "Cylindrée",
    }
    values.update(overrides)
    return values


def establishment(**overrides: str) -> dict[str, str]:
    """The editable part of "Information établissement", as typed."""
    values = {
        "establishment_email": "contact@clean-desk.fr",
        "establishment_email_confirm": "contact@clean-desk.fr",
        "establishment_phone": "01 42 68 53 00",
        "fax": "",
    }
    values.update(overrides)
    return values

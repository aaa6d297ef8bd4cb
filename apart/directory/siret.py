"""SIRET and SIREN rules, through python-stdnum.

The check key is the Luhn algorithm, except for La Poste (SIREN 356000000): its establishments
are valid when the sum of the SIRET's digits is a multiple of 5, its head office
(35600000000048) follows Luhn. ``stdnum.fr.siret`` implements both; these functions only add
the input tolerance (spaces and dots, as people copy them from a Kbis) and one French message per
failure, shown next to the "N° de Siret" field.
"""

import re

from stdnum.exceptions import ValidationError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from apart.core.errors import UserError

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE_SIRET = "35600000000048"

SIRET_LENGTH_MESSAGE = "Le numéro de Siret doit comporter 14 chiffres."
SIRET_CHARACTERS_MESSAGE = "Le numéro de Siret ne doit contenir que des chiffres."
SIRET_CHECKSUM_MESSAGE = "Ce numéro de Siret n'est pas valide : vérifiez sa saisie."
SIREN_LENGTH_MESSAGE = "Le numéro de Siren doit comporter 9 chiffres."
SIREN_CHARACTERS_MESSAGE = "Le numéro de Siren ne doit contenir que des chiffres."
SIREN_CHECKSUM_MESSAGE = "Ce numéro de Siren n'est pas valide : vérifiez sa saisie."

# Separators people type or paste: spaces (including non-breaking ones) and dots.
_SEPARATORS = re.compile(r"[\s.]+")
_DIGITS = re.compile(r"[0-9]*")


class SiretError(UserError, ValueError):
    """A SIRET (or SIREN) that cannot be accepted; ``message`` is the French text to show. Still a
    ValueError: the forms' clean methods and the parsers around them catch it as one."""


def _compact(raw: str) -> str:
    return _SEPARATORS.sub("", raw or "")


def _check_shape(number: str, *, length: int, characters_message: str, length_message: str) -> None:
    if not _DIGITS.fullmatch(number):
        raise SiretError(characters_message)
    if len(number) != length:
        raise SiretError(length_message)


def clean_siret(raw: str) -> str:
    """Return the 14 digits of a SIRET typed with or without spaces and dots.

    Raises SiretError with one message: characters other than digits, a length other than 14,
    or a wrong check key (Luhn, or La Poste's digit sum).
    """
    number = _compact(raw)
    _check_shape(
        number,
        length=14,
        characters_message=SIRET_CHARACTERS_MESSAGE,
        length_message=SIRET_LENGTH_MESSAGE,
    )
    try:
        stdnum_siret.validate(number)
    except ValidationError as exc:
        raise SiretError(SIRET_CHECKSUM_MESSAGE) from exc
    return number


def is_valid_siret(value: str) -> bool:
    try:
        clean_siret(value)
    except SiretError:
        return False
    return True


def clean_siren(raw: str) -> str:
    """Return the 9 digits of a SIREN (spaces and dots tolerated), or raise SiretError."""
    number = _compact(raw)
    _check_shape(
        number,
        length=9,
        characters_message=SIREN_CHARACTERS_MESSAGE,
        length_message=SIREN_LENGTH_MESSAGE,
    )
    try:
        stdnum_siren.validate(number)
    except ValidationError as exc:
        raise SiretError(SIREN_CHECKSUM_MESSAGE) from exc
    return number


def is_valid_siren(value: str) -> bool:
    try:
        clean_siren(value)
    except SiretError:
        return False
    return True


def siren_of(siret: str) -> str:
    """The SIREN is the first 9 digits of the SIRET."""
    return siret[:9]

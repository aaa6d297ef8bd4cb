"""Bank details of a fiche: IBAN and BIC checked with schwifty, the IBAN shown masked.

The IBAN is stored compact (no spaces, upper case) and only ever shown or audited masked: the
country, check digits and the last characters stay visible so that the person recognises it.
"""

from django.core.exceptions import ValidationError
from schwifty import BIC, IBAN
from schwifty.exceptions import InvalidChecksumDigits, SchwiftyException

INVALID_IBAN = "L'IBAN est invalide : vérifiez sa longueur et les caractères saisis."
IBAN_BAD_CHECKSUM = "L'IBAN est invalide : sa clé de contrôle ne correspond pas."
INVALID_BIC = "Le BIC est invalide : il comporte 8 ou 11 caractères (ex. : BNPAFRPPXXX)."
BIC_COUNTRY_MISMATCH = "Le BIC ne correspond pas au pays de l'IBAN."

# Countries whose banks use a French BIC with their own IBAN prefix (overseas, Monaco).
_FRENCH_BANKING_AREA = {
    "FR",
    "GP",
    "MQ",
    "GF",
    "RE",
    "PM",
    "YT",
    "BL",
    "MF",
    "NC",
    "PF",
    "WF",
    "MC",
}


def _compact(raw: str) -> str:
    return "".join(raw.split()).replace("-", "").upper()


def clean_iban(raw: str) -> str:
    """The IBAN in compact form, or ValidationError (length, characters, check digits)."""
    try:
        return str(IBAN(_compact(raw)).compact)
    except InvalidChecksumDigits:
        raise ValidationError(IBAN_BAD_CHECKSUM, code="iban_checksum") from None
    except SchwiftyException:
        raise ValidationError(INVALID_IBAN, code="iban") from None


def clean_bic(raw: str) -> str:
    """The BIC in compact form (8 or 11 characters), or ValidationError."""
    try:
        return str(BIC(_compact(raw)).compact)
    except SchwiftyException:
        raise ValidationError(INVALID_BIC, code="bic") from None


def is_valid_iban(value: str) -> bool:
    try:
        clean_iban(value)
    except ValidationError:
        return False
    return True


def is_valid_bic(value: str) -> bool:
    try:
        clean_bic(value)
    except ValidationError:
        return False
    return True


def bic_matches_iban(*, iban: str, bic: str) -> bool:
    """The BIC's country (characters 5-6) is the IBAN's, the French banking area counted as one."""
    iban_country, bic_country = iban[:2].upper(), bic[4:6].upper()
    if iban_country == bic_country:
        return True
    return iban_country in _FRENCH_BANKING_AREA and bic_country in _FRENCH_BANKING_AREA


def mask_iban(iban: str) -> str:
    """``FR7630006000011234567890189`` -> ``FR76 **** **** **** **** **** 189``."""
    compact = _compact(iban)
    if not compact:
        return ""
    groups = [compact[i : i + 4] for i in range(0, len(compact), 4)]
    if len(groups) <= 2:
        return " ".join([groups[0]] + ["****"] * (len(groups) - 1))
    return " ".join([groups[0]] + ["****"] * (len(groups) - 2) + [groups[-1]])

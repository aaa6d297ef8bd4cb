"""Bank details of a fiche: IBAN and BIC checked with schwifty, the IBAN shown masked.

The IBAN is stored compact (no spaces, upper case) and only ever shown or audited masked: the
country, check digits and the last characters stay visible so that the person recognises it.
"""

import difflib
import re
import unicodedata

from django.core.exceptions import ValidationError
from schwifty import BIC, IBAN
from schwifty.exceptions import InvalidChecksumDigits, SchwiftyException

INVALID_IBAN = "L'IBAN est invalide : vérifiez sa longueur et les caractères saisis."
IBAN_BAD_CHECKSUM = "L'IBAN est invalide : sa clé de contrôle ne correspond pas."
INVALID_BIC = "Le BIC est invalide : il comporte 8 ou 11 caractères (ex. : BNPAFRPPXXX)."
BIC_COUNTRY_MISMATCH = "Le BIC ne correspond pas au pays de l'IBAN."

# Countries whose banks use a French BIC with their own IBAN prefix (overseas, Monaco).
FRENCH_BANKING_AREA = frozenset(
    {
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
)


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
    return iban_country in FRENCH_BANKING_AREA and bic_country in FRENCH_BANKING_AREA


def mask_iban(iban: str) -> str:
    """``FR7630006000011234567890189`` -> ``FR76 **** **** **** **** **** 189``."""
    compact = _compact(iban)
    if not compact:
        return ""
    groups = [compact[i : i + 4] for i in range(0, len(compact), 4)]
    if len(groups) <= 2:
        return " ".join([groups[0]] + ["****"] * (len(groups) - 1))
    return " ".join([groups[0]] + ["****"] * (len(groups) - 2) + [groups[-1]])


# Legal forms and words that a bank may add to or drop from an account holder's name.
_LEGAL_WORDS = frozenset(
    {
        "SA",
        "SAS",
        "SASU",
        "SARL",
        "EURL",
        "SNC",
        "SCI",
        "SCOP",
        "SCA",
        "SCS",
        "SELARL",
        "SELAS",
        "EI",
        "EIRL",
        "GIE",
        "SEM",
        "SEML",
        "ETS",
        "ETABLISSEMENTS",
        "ETABLISSEMENT",
        "STE",
        "SOCIETE",
        "CIE",
        "ET",
        "LE",
        "LA",
        "LES",
        "DE",
        "DU",
        "DES",
        "L",
        "D",
    }
)


def _name_words(name: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    words = re.split(r"[^A-Z0-9]+", plain)
    return [word for word in words if word and word not in _LEGAL_WORDS]


def holder_matches(*, holder: str, denomination: str) -> bool:
    """Whether an account holder's name is the SIRENE denomination, tolerantly: accents, case,
    punctuation and legal forms (SARL, SAS, ...) do not count, nor the order of the words, and
    one name may hold the other ("CLEAN DESK" for "CLEAN DESK NETTOYAGE"); a close spelling
    (one letter in ten) passes too. An empty denomination cannot be compared: it matches."""
    denomination_words = _name_words(denomination)
    if not denomination_words:
        return True
    holder_words = _name_words(holder)
    if not holder_words:
        return False
    a, b = set(holder_words), set(denomination_words)
    if a <= b or b <= a:
        return True
    ratio = difflib.SequenceMatcher(
        None, " ".join(sorted(holder_words)), " ".join(sorted(denomination_words))
    ).ratio()
    return ratio >= 0.9


def iban_country(iban: str) -> str:
    return _compact(iban)[:2]

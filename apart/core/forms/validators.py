"""Field checks of the guide's "contrôles spécifiques" (first written for "Créer mon espace" step 2,
used by every form that takes a phone, an email, a name, an address or a postal code).

Blocking checks raise ``ValidationError`` with the guide's message; the non-blocking name check
(:func:`looks_like_company_or_title`) only answers True/False and the form decides.
"""

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from apart.core.normalize import fold, normalize_email

INVALID_PHONE = _("Veuillez saisir un numéro valide.")
INVALID_EMAIL = _("L'adresse électronique est invalide.")
FORBIDDEN_CHARACTERS = _("Ce champ contient des caractères non autorisés.")
INVALID_POSTAL_CODE = _(
    "Le code postal doit comporter 5 chiffres et correspondre à un département."
)
CITY_MISMATCH = _("La ville ne correspond pas au code postal.")
CIVIL_STATUS_ONLY = _("Merci de saisir votre état civil uniquement.")

# Overseas departments and communities: the first three digits of the postal code -> the
# phonenumbers region their numbers belong to (their landlines are not +33 numbers).
OVERSEAS_REGIONS = {
    "971": "GP",
    "972": "MQ",
    "973": "GF",
    "974": "RE",
    "975": "PM",
    "976": "YT",
    "977": "BL",
    "978": "MF",
}
LANDLINE_TYPES = {
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    phonenumbers.PhoneNumberType.VOIP,  # 09 numbers of the internet boxes are the usual landline
}

_PHONE_CHARACTERS = re.compile(r"^[0-9 +().\-/]+$")
# Names: letters (accents included), spaces, hyphens, apostrophes; the dot is allowed so that
# "M." reaches the civil-status warning rather than a bare "forbidden character" error.
_NAME = re.compile(r"^[^\W\d_]+(?:[ \-'’.]+[^\W\d_]*)*$")
# Addresses and denominations: printable text without markup or control characters.
_MARKUP = re.compile(r"[<>{}\[\]\\|^`~$]")
_CITY = re.compile(r"^[^\W_]+(?:[ \-'’.()/]+[^\W_]*)*$")

# Words that say "a company or a job title, not a person" (compared folded: no accents, lower).
_COMPANY_OR_TITLE_WORDS = {
    "sarl",
    "sas",
    "sasu",
    "sa",
    "eurl",
    "eirl",
    "sci",
    "snc",
    "scop",
    "scp",
    "selarl",
    "gie",
    "societe",
    "ste",
    "cabinet",
    "entreprise",
    "etablissement",
    "etablissements",
    "ets",
    "groupe",
    "association",
    "gerant",
    "gerante",
    "directeur",
    "directrice",
    "direction",
    "dg",
    "pdg",
    "president",
    "presidente",
    "comptable",
    "comptabilite",
    "expert",
    "service",
    "services",
    "rh",
    "drh",
    "paie",
    "secretariat",
    "secretaire",
    "responsable",
    "mr",
    "mme",
    "mlle",
    "monsieur",
    "madame",
    "mademoiselle",
    "docteur",
    "maitre",
}
_COMPANY_OR_TITLE_PHRASES = ("ressources humaines",)
# "M." and "Me." (Maître) are titles only with their dot: "M" alone may be an initial.
_ABBREVIATED_TITLES = {"m.", "me.", "dr."}


def reject_control_characters(value: str) -> None:
    """No NUL, control or format characters (they come from copy-paste or from tampering)."""
    if any(unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"} for char in value):
        raise ValidationError(FORBIDDEN_CHARACTERS, code="forbidden_characters")


def validate_free_text(value: str) -> None:
    """Denomination, street, complement: printable text without markup characters."""
    reject_control_characters(value)
    if _MARKUP.search(value):
        raise ValidationError(FORBIDDEN_CHARACTERS, code="forbidden_characters")


def validate_person_name(value: str) -> None:
    reject_control_characters(value)
    if not _NAME.match(value):
        raise ValidationError(FORBIDDEN_CHARACTERS, code="forbidden_characters")


def validate_city(value: str) -> None:
    reject_control_characters(value)
    if not _CITY.match(value):
        raise ValidationError(FORBIDDEN_CHARACTERS, code="forbidden_characters")


def looks_like_company_or_title(name: str) -> bool:
    """True when a Nom or Prénom looks like a company or a title ("SARL Dupont", "Mme",
    "Service RH", "Gérant"...): the guide's non-blocking check "Merci de saisir votre état civil
    uniquement."."""
    folded = fold(name)
    tokens = re.findall(r"[a-z]+\.?", folded)
    if any(token in _ABBREVIATED_TITLES for token in tokens):
        return True
    if any(token.rstrip(".") in _COMPANY_OR_TITLE_WORDS for token in tokens):
        return True
    spaced = " ".join(token.rstrip(".") for token in tokens)
    return any(phrase in spaced for phrase in _COMPANY_OR_TITLE_PHRASES)


def clean_email_address(raw: str) -> tuple[str, bool]:
    """The address without accents, lower case, and whether accents were removed.

    The guide: "suppression ou remplacement automatique de certains caractères (par ex les
    accents dans les courriels)". Raises "L'adresse électronique est invalide." otherwise.
    """
    reject_control_characters(raw)
    stripped = raw.strip()
    address = normalize_email(stripped)
    accents_removed = address != stripped.lower()
    try:
        EmailValidator(message=INVALID_EMAIL)(address)
    except ValidationError:
        raise ValidationError(INVALID_EMAIL, code="invalid_email") from None
    if not address.isascii():  # letters with no ASCII decomposition (e.g. "ø", "ß")
        raise ValidationError(INVALID_EMAIL, code="invalid_email")
    return address, accents_removed


def phone_region(postal_code: str) -> str:
    """The phonenumbers region of an establishment's postal code (FR unless overseas)."""
    return OVERSEAS_REGIONS.get(postal_code[:3], "FR")


def _parse_phone(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    if not _PHONE_CHARACTERS.match(raw) or sum(char.isdigit() for char in raw) > 15:
        return None
    try:
        return phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None


def clean_landline(raw: str, *, postal_code: str) -> str:
    """A landline of the establishment's region (09 VoIP numbers accepted), in E.164.

    "Téléphone fixe" and "Fax": a number of the region of the postal code (a Guadeloupe
    establishment gives a 0590 number, a Paris one a 01 to 05 or 09 number), of a fixed type.
    """
    region = phone_region(postal_code)
    number = _parse_phone(raw.strip(), region)
    if (
        number is None
        or not phonenumbers.is_valid_number_for_region(number, region)
        or phonenumbers.number_type(number) not in LANDLINE_TYPES
    ):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_any_phone(raw: str, *, postal_code: str) -> str:
    """The person's "Téléphone": any valid number, read in the establishment's region first,
    then as a metropolitan number (a Réunion employer may call from a 06 number), in E.164."""
    raw = raw.strip()
    for region in dict.fromkeys((phone_region(postal_code), "FR")):
        number = _parse_phone(raw, region)
        if number is not None and phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    raise ValidationError(INVALID_PHONE, code="invalid_phone")


def department_of(postal_code: str) -> str:
    """Department code of a French postal code (Corsica's 20xxx stays "20")."""
    return postal_code[:3] if postal_code.startswith("97") else postal_code[:2]


def validate_postal_code(value: str) -> None:
    """5 digits whose department exists: 01 to 95 (20 = Corsica), or 971 to 978 overseas."""
    if not re.fullmatch(r"[0-9]{5}", value):
        raise ValidationError(INVALID_POSTAL_CODE, code="invalid_postal_code")
    department = department_of(value)
    if department.startswith("97"):
        valid = department in OVERSEAS_REGIONS
    else:
        valid = 1 <= int(department) <= 95
    if not valid:
        raise ValidationError(INVALID_POSTAL_CODE, code="invalid_postal_code")


def same_city(a: str, b: str) -> bool:
    """City names compared without accents, case, hyphens, apostrophes and "ST"/"SAINT"."""

    def key(name: str) -> str:
        words = re.findall(r"[a-z0-9]+", fold(name))
        words = ["saint" if w == "st" else "sainte" if w == "ste" else w for w in words]
        return " ".join(words)

    return key(a) == key(b)

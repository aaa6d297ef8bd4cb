"""Whether SIRENE allows a space for a SIRET (known, open, the directory reachable), and what it
tells of the establishment: read at "Créer mon espace" step 1 and « DEMANDE CRÉATION DE COMPTE »,
in the guide's words."""

from dataclasses import dataclass

from django.conf import settings

from apart.directory.lookup import LookupResult, LookupStatus, lookup_siret
from apart.directory.models import DirectoryEstablishment

# Bound on the cities read for one postal code (a big city has a handful; a bad import many).
_MAX_CITIES = 50

UNKNOWN_SIRET = (
    "Ce numéro de Siret est inconnu du répertoire SIRENE de l'INSEE. Vérifiez votre saisie."
)
DIRECTORY_UNAVAILABLE = (
    "Le répertoire SIRENE ne peut pas être consulté pour le moment. Veuillez réessayer dans "
    "quelques minutes."
)


def assistance_line() -> str:
    return (
        f"l'assistance téléphonique au {settings.APART_ASSISTANCE_PHONE} "
        f"(de {settings.APART_ASSISTANCE_HOURS}, n° Vert : services et appels gratuits)"
    )


def closed_establishment() -> str:
    return (
        "Cet établissement est fermé dans le répertoire SIRENE : il n'est pas possible de "
        "créer un espace pour un établissement fermé. Vérifiez votre saisie ; si "
        f"l'établissement est en activité, contactez {assistance_line()}."
    )


@dataclass(frozen=True)
class Eligibility:
    """A SIRET's answer at step 1: ``refusal`` is None when a space may be created."""

    refusal: str | None
    lookup: LookupResult | None = None

    @property
    def eligible(self) -> bool:
        return self.refusal is None


def sirene_eligibility(siret: str) -> Eligibility:
    """SIRENE's part of step 1's checks: known and open in SIRENE (the directory reachable)."""
    result = lookup_siret(siret)
    if result.status == LookupStatus.UNAVAILABLE:
        return Eligibility(refusal=DIRECTORY_UNAVAILABLE, lookup=result)
    if result.status == LookupStatus.UNKNOWN or result.establishment is None:
        return Eligibility(refusal=UNKNOWN_SIRET, lookup=result)
    if result.status == LookupStatus.CLOSED or not result.establishment.active:
        return Eligibility(refusal=closed_establishment(), lookup=result)
    return Eligibility(refusal=None, lookup=result)


def sirene_prefill(result: LookupResult) -> dict[str, str]:
    """Step 2's fields known from SIRENE (the non-empty ones are greyed).

    A non-diffusible establishment's lookup carries only its SIRET, postal code and city.
    """
    found = result.establishment
    if found is None:
        return {}
    return {
        "siret": found.siret,
        "denomination": found.denomination,
        "street_number": found.street_number,
        "street_number_extension": found.street_number_extension,
        "street_type": found.street_type,
        "street_name": found.street_name,
        "address_complement": found.address_complement,
        "postal_code": found.postal_code,
        "city": found.city,
    }


def known_cities(postal_code: str) -> set[str]:
    """The communes the local SIRENE directory knows under this postal code."""
    return set(
        DirectoryEstablishment.objects.filter(postal_code=postal_code)
        .exclude(city="")
        .values_list("city", flat=True)
        .distinct()[:_MAX_CITIES]
    )

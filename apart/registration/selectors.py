"""Reads of "Créer mon espace": is a SIRET eligible, what does SIRENE prefill."""

from dataclasses import dataclass

from apart.directory.lookup import LookupResult, LookupStatus, lookup_siret
from apart.directory.models import DirectoryEstablishment
from apart.establishments.selectors import has_space
from apart.registration import messages

# Bound on the cities read for one postal code (a big city has a handful; a bad import many).
_MAX_CITIES = 50


@dataclass(frozen=True)
class Eligibility:
    """A SIRET's answer at step 1: ``refusal`` is None when a space may be created."""

    refusal: str | None
    lookup: LookupResult | None = None

    @property
    def eligible(self) -> bool:
        return self.refusal is None


def siret_eligibility(siret: str) -> Eligibility:
    """Step 1's checks after the SIRET's own validity: no space yet, known and open in SIRENE."""
    if has_space(siret):
        return Eligibility(refusal=messages.space_already_exists())
    result = lookup_siret(siret)
    if result.status == LookupStatus.UNAVAILABLE:
        return Eligibility(refusal=messages.DIRECTORY_UNAVAILABLE, lookup=result)
    if result.status == LookupStatus.UNKNOWN or result.establishment is None:
        return Eligibility(refusal=messages.UNKNOWN_SIRET, lookup=result)
    if result.status == LookupStatus.CLOSED or not result.establishment.active:
        return Eligibility(refusal=messages.closed_establishment(), lookup=result)
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

"""Reads of registered establishments."""

from apart.directory.eligibility import Eligibility, assistance_line, sirene_eligibility
from apart.establishments.models import Establishment


def establishment_by_siret(siret: str) -> Establishment | None:
    return Establishment.objects.filter(siret=siret).first()


def has_space(siret: str) -> bool:
    """Whether the establishment already has a space (one space per SIRET)."""
    return Establishment.objects.filter(siret=siret).exists()


def space_already_exists() -> str:
    """Refusal that tells how to proceed without saying who holds the space."""
    return (
        "Un espace existe déjà pour cet établissement sur l'extranet Activité Partielle. Pour "
        "y accéder, adressez-vous à la personne en charge de cet espace dans votre entreprise, "
        f"qui peut vous y ajouter, ou contactez {assistance_line()}."
    )


def siret_eligibility(siret: str) -> Eligibility:
    """Step 1's checks after the SIRET's own validity: no space yet, known and open in SIRENE."""
    if has_space(siret):
        return Eligibility(refusal=space_already_exists())
    return sirene_eligibility(siret)

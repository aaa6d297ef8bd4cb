"""Reads of registered establishments."""

from apart.establishments.models import Establishment


def establishment_by_siret(siret: str) -> Establishment | None:
    return Establishment.objects.filter(siret=siret).first()


def has_space(siret: str) -> bool:
    """Whether the establishment already has a space (one space per SIRET)."""
    return Establishment.objects.filter(siret=siret).exists()

"""Rows of the SIRENE directory for tests (other apps' tests may import these too)."""

from typing import Any

from apart.directory.models import DirectoryEstablishment, LegalUnit


def make_directory_establishment(
    *, siret: str = "90456789800013", denomination: str = "SOCIETE DE TEST", **fields: Any
) -> DirectoryEstablishment:
    """An open, diffusible head office; override any DirectoryEstablishment field."""
    LegalUnit.objects.update_or_create(
        siren=siret[:9],
        defaults={
            "denomination": denomination,
            "legal_name": denomination,
            "state": "A",
            "diffusion": fields.get("diffusion", "O"),
        },
    )
    values: dict[str, Any] = {
        "siren": siret[:9],
        "street_number": "8",
        "street_type": "RUE",
        "street_name": "DE LA PAIX",
        "postal_code": "75002",
        "city": "PARIS 2",
        "state": "A",
        "diffusion": "O",
        "naf_code": "70.10Z",
        "workforce_bracket": "11",
        "is_head_office": True,
    }
    values.update(fields)
    return DirectoryEstablishment.objects.create(siret=siret, **values)

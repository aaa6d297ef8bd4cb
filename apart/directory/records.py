"""What a SIRENE source answers about a SIRET, the same dataclasses whatever the source (the local
directory or the INSEE API)."""

from dataclasses import dataclass

from django.db import models

from apart.directory.labels import repetition_label, street_type_label


class LookupStatus(models.TextChoices):
    FOUND = "found", "Établissement trouvé"
    UNKNOWN = "unknown", "Établissement inconnu"
    CLOSED = "closed", "Établissement fermé"
    NON_DIFFUSIBLE = "non_diffusible", "Établissement non diffusible"
    # Not found locally and the INSEE API, configured, could not answer: ask again later.
    UNAVAILABLE = "unavailable", "Répertoire indisponible"


@dataclass(frozen=True)
class SireneEstablishment:
    siret: str
    siren: str = ""
    denomination: str = ""
    street_number: str = ""
    street_number_extension: str = ""  # human form: "bis", "ter"...
    street_type: str = ""  # human form: "Rue", "Avenue"...
    street_name: str = ""
    address_complement: str = ""
    postal_code: str = ""
    city: str = ""
    is_head_office: bool = False
    naf_code: str = ""
    workforce_bracket: str = ""
    diffusible: bool = True
    active: bool = True

    def restricted(self) -> "SireneEstablishment":
        """What may be shown of a non-diffusible establishment: SIRET, postal code, commune."""
        return SireneEstablishment(
            siret=self.siret,
            postal_code=self.postal_code,
            city=self.city,
            diffusible=False,
            active=self.active,
        )


@dataclass(frozen=True)
class LookupResult:
    status: LookupStatus
    establishment: SireneEstablishment | None = None

    @property
    def found(self) -> bool:
        return self.status == LookupStatus.FOUND


def establishment_from_codes(
    *,
    siret: str,
    denomination: str,
    street_number: str,
    repetition_code: str,
    street_type_code: str,
    street_name: str,
    address_complement: str,
    postal_code: str,
    city: str,
    is_head_office: bool,
    naf_code: str,
    workforce_bracket: str,
    diffusion: str,
    state: str,
) -> SireneEstablishment:
    """Build the dataclass from INSEE codes (shared by the local directory and the API)."""
    return SireneEstablishment(
        siret=siret,
        siren=siret[:9],
        denomination=denomination,
        street_number=street_number,
        street_number_extension=repetition_label(repetition_code),
        street_type=street_type_label(street_type_code),
        street_name=street_name,
        address_complement=address_complement,
        postal_code=postal_code,
        city=city,
        is_head_office=is_head_office,
        naf_code=naf_code,
        workforce_bracket=workforce_bracket,
        diffusible=diffusion == "O",
        active=state == "A",
    )


def result_for(establishment: SireneEstablishment) -> LookupResult:
    """Non-diffusible first (even closed: nothing beyond SIRET, postal code and commune may be
    shown), then closed, then found."""
    if not establishment.diffusible:
        return LookupResult(LookupStatus.NON_DIFFUSIBLE, establishment.restricted())
    if not establishment.active:
        return LookupResult(LookupStatus.CLOSED, establishment)
    return LookupResult(LookupStatus.FOUND, establishment)

"""Find an establishment by SIRET to prefill "Information établissement".

Sources, in order: the local directory (imported INSEE stock files), then, when configured
(settings.APART_SIRENE_API_URL), the INSEE API Sirene 3.11. Both answer with the same
dataclasses. A non-diffusible establishment (statutDiffusion P, or N in older data) may only
have its SIRET, postal code and commune prefilled: everything else is left empty.
"""

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import models

from apart.directory.labels import repetition_label, street_type_label

logger = logging.getLogger(__name__)


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


def _local(siret: str) -> SireneEstablishment | None:
    from django.db.models import OuterRef, Subquery

    from apart.directory.models import DirectoryEstablishment, LegalUnit

    unit = LegalUnit.objects.filter(siren=OuterRef("siren"))
    row = (
        DirectoryEstablishment.objects.filter(siret=siret)
        .annotate(  # one round trip: the legal unit's name and diffusion come along
            unit_denomination=Subquery(unit.values("denomination")[:1]),
            unit_diffusion=Subquery(unit.values("diffusion")[:1]),
        )
        .first()
    )
    if row is None:
        return None
    denomination = row.unit_denomination or row.usual_name or row.sign
    diffusion = row.diffusion
    if row.unit_diffusion not in (None, "O"):
        diffusion = row.unit_diffusion  # a non-diffusible person stays hidden behind every SIRET
    return establishment_from_codes(
        siret=row.siret,
        denomination=denomination,
        street_number=row.street_number,
        repetition_code=row.street_number_extension,
        street_type_code=row.street_type,
        street_name=row.street_name,
        address_complement=row.address_complement,
        postal_code=row.postal_code,
        city=row.city,
        is_head_office=row.is_head_office,
        naf_code=row.naf_code,
        workforce_bracket=row.workforce_bracket,
        diffusion=diffusion,
        state=row.state,
    )


_SEPARATORS = re.compile(r"[\s.]+")


def lookup_siret(siret: str) -> LookupResult:
    """Look a SIRET up in the local directory, then in the INSEE API if configured.

    Input is normalised (spaces and dots removed); anything but 14 digits is UNKNOWN. When the
    API is configured but unavailable, the answer is UNAVAILABLE (never UNKNOWN: the SIRET may
    well exist) and a warning is logged; the caller asks the person to try again later.
    """
    siret = _SEPARATORS.sub("", siret or "")
    if len(siret) != 14 or not (siret.isascii() and siret.isdigit()):
        return LookupResult(LookupStatus.UNKNOWN)
    local = _local(siret)
    if local is not None:
        return result_for(local)
    if not settings.APART_SIRENE_API_URL:
        return LookupResult(LookupStatus.UNKNOWN)
    from apart.directory.sirene_api import SireneApiClient, SireneUnavailable

    try:
        return SireneApiClient.from_settings().lookup(siret)
    except SireneUnavailable as exc:
        logger.warning("INSEE API Sirene unavailable for a SIRET lookup: %s", exc)
        return LookupResult(LookupStatus.UNAVAILABLE)


__all__ = [
    "LookupResult",
    "LookupStatus",
    "SireneEstablishment",
    "lookup_siret",
]

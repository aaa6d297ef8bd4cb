"""Find an establishment by SIRET to prefill "Information établissement".

Sources, in order: the local directory (imported INSEE stock files), then, when configured
(settings.APART_SIRENE_API_URL), the INSEE API Sirene 3.11. Both answer with the same
dataclasses. A non-diffusible establishment (statutDiffusion P, or N in older data) may only
have its SIRET, postal code and commune prefilled: everything else is left empty.
"""

import logging
import re

from django.conf import settings
from django.db.models import OuterRef, Subquery

from apart.directory.models import DirectoryEstablishment, LegalUnit
from apart.directory.records import (
    LookupResult,
    LookupStatus,
    SireneEstablishment,
    establishment_from_codes,
    result_for,
)
from apart.directory.sirene_api import SireneApiClient, SireneUnavailable

logger = logging.getLogger(__name__)


def _local(siret: str) -> SireneEstablishment | None:
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

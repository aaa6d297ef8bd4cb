"""Client of the INSEE API Sirene 3.11: ``GET {base}/siret/{siret}``, standard library only.

The answer is mapped to the directory's dataclasses: 200 -> the establishment (FOUND, CLOSED or
NON_DIFFUSIBLE), 404 -> UNKNOWN, 403 (establishment the INSEE refuses to disclose) ->
NON_DIFFUSIBLE with the SIRET alone. Anything else (timeouts, 401, 429, 5xx, a body that is not
the expected JSON) raises one typed error, SireneUnavailable.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from apart.directory.importer.schema import legal_unit_denomination
from apart.directory.records import (
    LookupResult,
    LookupStatus,
    SireneEstablishment,
    establishment_from_codes,
    result_for,
)

API_KEY_HEADER = "X-INSEE-Api-Key-Integration"
MASKED = "[ND]"  # what the API shows in place of a non-diffusible value


class SireneUnavailable(Exception):
    """The INSEE API could not answer (network, quota, server error, unexpected body)."""


def _text(value: object) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    return "" if text == MASKED else text


def _current_period(establishment: dict[str, Any]) -> dict[str, Any]:
    periods = establishment.get("periodesEtablissement") or [{}]
    for period in periods:
        if period.get("dateFin") is None:
            return dict(period)
    return dict(periods[0])


def establishment_from_json(payload: dict[str, Any]) -> SireneEstablishment:
    """Map the API's "etablissement" object (uniteLegale, adresseEtablissement,
    periodesEtablissement) to the directory dataclass."""
    data = payload["etablissement"]
    unit = data.get("uniteLegale") or {}
    address = data.get("adresseEtablissement") or {}
    period = _current_period(data)
    siret = _text(data["siret"])
    denomination = (
        legal_unit_denomination(
            legal_name=_text(unit.get("denominationUniteLegale")),
            first_name=_text(unit.get("prenom1UniteLegale")),
            last_name=_text(unit.get("nomUniteLegale")),
        )
        or _text(period.get("denominationUsuelleEtablissement"))
        or _text(period.get("enseigne1Etablissement"))
    )
    diffusion = _text(data.get("statutDiffusionEtablissement")) or "O"
    if _text(unit.get("statutDiffusionUniteLegale")) in {"P", "N"}:
        diffusion = _text(unit.get("statutDiffusionUniteLegale"))
    return establishment_from_codes(
        siret=siret,
        denomination=denomination,
        street_number=_text(address.get("numeroVoieEtablissement")),
        repetition_code=_text(address.get("indiceRepetitionEtablissement")),
        street_type_code=_text(address.get("typeVoieEtablissement")),
        street_name=_text(address.get("libelleVoieEtablissement")),
        address_complement=_text(address.get("complementAdresseEtablissement")),
        postal_code=_text(address.get("codePostalEtablissement")),
        city=_text(address.get("libelleCommuneEtablissement")),
        is_head_office=bool(data.get("etablissementSiege")),
        naf_code=_text(period.get("activitePrincipaleEtablissement")),
        workforce_bracket=_text(data.get("trancheEffectifsEtablissement")),
        diffusion=diffusion,
        state=_text(period.get("etatAdministratifEtablissement")) or "A",
    )


@dataclass(frozen=True)
class SireneApiClient:
    base_url: str
    api_key: str
    timeout: float = 5.0

    @classmethod
    def from_settings(cls) -> "SireneApiClient":
        return cls(
            base_url=settings.APART_SIRENE_API_URL,
            api_key=settings.APART_SIRENE_API_KEY,
            timeout=settings.APART_SIRENE_API_TIMEOUT,
        )

    def _get(self, path: str) -> tuple[int, bytes]:
        if not self.base_url.startswith(("https://", "http://")):
            raise SireneUnavailable(f"APART_SIRENE_API_URL is not an http(s) URL: {self.base_url}")
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            self.base_url.rstrip("/") + path,
            headers={API_KEY_HEADER: self.api_key, "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.read()
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SireneUnavailable(f"INSEE API unreachable: {exc}") from exc

    def lookup(self, siret: str) -> LookupResult:
        """Look one SIRET (14 digits) up; raise SireneUnavailable if the API cannot answer."""
        if len(siret) != 14 or not siret.isdigit():
            return LookupResult(LookupStatus.UNKNOWN)
        status, body = self._get(f"/siret/{siret}")
        if status == 404:
            return LookupResult(LookupStatus.UNKNOWN)
        if status == 403:
            return LookupResult(
                LookupStatus.NON_DIFFUSIBLE, SireneEstablishment(siret=siret, diffusible=False)
            )
        if status != 200:
            raise SireneUnavailable(f"INSEE API answered HTTP {status}")
        try:
            payload = json.loads(body)
            establishment = establishment_from_json(payload)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise SireneUnavailable(f"unexpected INSEE API answer: {exc!r}") from exc
        if establishment.siret != siret:
            raise SireneUnavailable("INSEE API answered for another SIRET")
        return result_for(establishment)

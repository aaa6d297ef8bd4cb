"""When is a fiche établissement "Complète"?

The guide: "La création d'une demande d'autorisation préalable est impossible tant que votre
fiche établissement n'est pas complète." A fiche is complete when every value the DAP and the
payment of the allowance need is present and valid:

- identity (SIRENE): SIRET, dénomination, address (libellé de la voie, code postal, ville);
- the establishment's email and phone (given at registration);
- the contact person: nom, prénom, fonction, courriel, téléphone;
- the postal address for mail: the establishment's own, or another one fully given
  (adresse, code postal, ville);
- effectif (at least 1 employee), code NAF, convention collective (IDCC, 4 digits);
- bank details: a valid IBAN, a valid BIC of the same country, the account holder's name.

The rules run in Python on an establishment whose fiche was fetched with it
(``select_related("fiche")``): no query of their own, so a list of 200 costs nothing more.
"""

import re

from django.core.exceptions import ObjectDoesNotExist

from apart.establishments.bank import bic_matches_iban, is_valid_bic, is_valid_iban
from apart.establishments.models import Establishment, EstablishmentFiche

COMPLETE = "Complète"
INCOMPLETE = "Incomplète"

_NAF = re.compile(r"^[0-9]{2}\.[0-9]{2}[A-Z]$")
_IDCC = re.compile(r"^[0-9]{4}$")
_POSTAL_CODE = re.compile(r"^[0-9]{5}$")


def fiche_of(establishment: Establishment) -> EstablishmentFiche:
    """The establishment's fiche, or an empty unsaved one when it was never filled."""
    try:
        return establishment.fiche
    except ObjectDoesNotExist:
        return EstablishmentFiche(establishment=establishment)


def missing_items(establishment: Establishment) -> list[str]:
    """What is missing or invalid, in the order of the fiche, in French (empty = complete)."""
    fiche = fiche_of(establishment)
    missing: list[str] = []

    def need(condition: bool, label: str) -> None:
        if not condition:
            missing.append(label)

    need(bool(establishment.denomination.strip()), "Dénomination de l'établissement")
    need(
        bool(establishment.street_name.strip())
        and bool(_POSTAL_CODE.match(establishment.postal_code))
        and bool(establishment.city.strip()),
        "Adresse de l'établissement",
    )
    need(bool(establishment.email), "Courriel établissement")
    need(bool(establishment.phone), "Téléphone fixe")
    need(bool(fiche.contact_last_name.strip()), "Nom du contact")
    need(bool(fiche.contact_first_name.strip()), "Prénom du contact")
    need(bool(fiche.contact_role.strip()), "Fonction du contact")
    need(bool(fiche.contact_email), "Courriel du contact")
    need(bool(fiche.contact_phone), "Téléphone du contact")
    need(
        fiche.mail_same_address
        or (
            bool(fiche.mail_street.strip())
            and bool(_POSTAL_CODE.match(fiche.mail_postal_code))
            and bool(fiche.mail_city.strip())
        ),
        "Adresse postale de correspondance",
    )
    need(fiche.workforce is not None and fiche.workforce >= 1, "Effectif")
    need(bool(_NAF.match(fiche.naf_code)), "Code NAF")
    need(bool(_IDCC.match(fiche.idcc)), "Convention collective (IDCC)")
    iban_ok = is_valid_iban(fiche.iban)
    bic_ok = is_valid_bic(fiche.bic)
    need(iban_ok, "IBAN")
    need(bic_ok and (not iban_ok or bic_matches_iban(iban=fiche.iban, bic=fiche.bic)), "BIC")
    need(bool(fiche.account_holder.strip()), "Titulaire du compte")
    return missing


def is_complete(establishment: Establishment) -> bool:
    return not missing_items(establishment)


def status_label(establishment: Establishment) -> str:
    """ "Complète" or "Incomplète", as in "Mes Etablissements"."""
    return COMPLETE if is_complete(establishment) else INCOMPLETE

"""Seeded scenarios of the fraud tests: an ordinary employer, and the 2020 pattern (a small firm
without employees, a fresh disposable email, an IBAN shared with another SIREN, a DAP for 8)."""

from dataclasses import dataclass

from apart.accounts.models import Account
from apart.directory.models import LegalUnit
from apart.establishments.models import Establishment
from apart.establishments.services.fiche import change_bank_details
from tests.directory.factories import make_directory_establishment
from tests.space.factories import complete_fiche, habilitate, make_employer, make_establishment

ORDINARY_IBAN = "FR7630006000011234567890189"
MULE_IBAN = "FR1420041010050500013M02606"


@dataclass
class Employer:
    account: Account
    establishment: Establishment


def _employer(
    *,
    siret: str,
    denomination: str,
    email: str,
    band: str,
    iban: str,
    phone: str,
    created_on: str = "2012-05-01",
) -> Employer:
    account = make_employer(email=f"gerant.{email}")
    establishment = make_establishment(
        main_contact=account, siret=siret, denomination=denomination, email=email, phone=phone
    )
    habilitate(account, establishment)
    make_directory_establishment(
        siret=siret, denomination=denomination, workforce_bracket=band, created_on=created_on
    )
    LegalUnit.objects.filter(siren=siret[:9]).update(created_on=created_on)
    complete_fiche(establishment, iban=iban, account_holder=denomination, contact_email=email)
    return Employer(account, establishment)


def ordinary_employer() -> Employer:
    """A bakery of 10 to 19 employees since 2012, its own company email and bank account."""
    return _employer(
        siret="81234567800012",
        denomination="BOULANGERIE ETOILE",
        email="contact@boulangerie-etoile.fr",
        band="11",
        iban=ORDINARY_IBAN,
        phone="+33142685300",
    )


def mule_company() -> Employer:
    """Another SIREN, unrelated, whose bank account the fraudster uses."""
    return _employer(
        siret="52345678900017",
        denomination="NEGOCE ATLANTIQUE",
        email="contact@negoce-atlantique.fr",
        band="01",
        iban=MULE_IBAN,
        phone="+33240000000",
    )


def pattern_2020() -> Employer:
    """The SIRET of a real small firm with no employees, registered with a fresh disposable
    email; the bank details then changed to the mule's IBAN (by the main contact)."""
    mule_company()
    fraud = _employer(
        siret="79876543200015",
        denomination="PLOMBERIE DUVAL",
        email="plomberie.duval@yopmail.com",
        band="NN",
        iban="FR7630004000031234567890143",
        phone="+33556000000",
    )
    change_bank_details(
        establishment=fraud.establishment,
        iban=MULE_IBAN,
        bic="PSSTFRPPPAR",
        account_holder="PLOMBERIE DUVAL",
        actor=fraud.account,
        recently_authenticated=True,
    )
    return fraud

"""Small builders for habilitation tests (accounts and establishments made directly)."""

import datetime
import itertools
from typing import Any

from apart.accounts.models import Account
from apart.establishments.models import Establishment
from apart.habilitations.models import Application, Habilitation
from tests.mfa.factories import enrol_totp

_seq = itertools.count(1)

# Seeded by migration 0002; transactional tests flush the tables, so tests recreate them.
APPLICATIONS = {
    "APART": "Activité Partielle",
    "SYLAE": "Sylaé",
    "ELISA": "Elisa",
    "DEFI": "Défi",
    "SERVICE_CIVIQUE": "Service Civique",
    "ENTREPRISES_ADAPTEES": "Entreprises Adaptées",
}


def ensure_applications() -> None:
    for code, name in APPLICATIONS.items():
        Application.objects.get_or_create(code=code, defaults={"name": name})


def make_account(**fields: Any) -> Account:
    n = next(_seq)
    password = fields.pop("password", None)
    values: dict[str, Any] = {
        "login": f"jean.dupont{n}",
        "first_name": "Jean",
        "last_name": "Dupont",
        "email": f"jean.dupont{n}@example.fr",
        "phone": "0102030405",
        "secret_question": "Ma ville de naissance ?",
    }
    values.update(fields)
    account = Account(**values)
    if password:
        account.set_password(password)
    else:
        account.set_unusable_password()
    account.save()
    return account


def make_agent(
    role: str = Account.Role.INSTRUCTOR, *, second_factor: bool = True, **fields: Any
) -> Account:
    """An agent; enrolled with an authenticator app (tests.mfa.factories.TEST_TOTP_SECRET) unless
    ``second_factor=False``, as agents cannot use the site without one."""
    n = next(_seq)
    fields.setdefault("login", f"agent.{role}{n}")
    fields.setdefault("first_name", "Agnès")
    fields.setdefault("last_name", "Instructrice")
    agent = make_account(role=role, **fields)
    if second_factor:
        enrol_totp(agent)
    return agent


def make_establishment(*, siret: str | None = None, **fields: Any) -> Establishment:
    n = next(_seq)
    contact = fields.pop("main_contact", None) or make_account()
    values: dict[str, Any] = {
        "siret": siret or f"{44373000081400 + n:014d}",
        "denomination": f"CLEAN DESK {n}",
        "street_number": "12",
        "street_type": "Rue",
        "street_name": "de la Paix",
        "postal_code": "75002",
        "city": "Paris",
        "email": f"contact{n}@clean-desk.fr",
        "phone": "0102030405",
        "main_contact": contact,
    }
    values.update(fields)
    return Establishment.objects.create(**values)


def make_habilitation(
    *,
    account: Account | None = None,
    status: str = Habilitation.Status.PENDING,
    application_code: str = Application.APART,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    establishment: Establishment | None = None,
    **fields: Any,
) -> Habilitation:
    ensure_applications()
    account = account or make_account()
    if status == Habilitation.Status.ACTIVE and start is None:
        start = datetime.date(2026, 1, 1)
    if start is not None and end is None:
        end = start + datetime.timedelta(days=365)
    habilitation = Habilitation.objects.create(
        account=account,
        application=Application.objects.get(code=application_code),
        status=status,
        start_date=start,
        end_date=end,
        **fields,
    )
    if establishment is None and application_code == Application.APART:
        establishment = make_establishment(main_contact=account)
    if establishment is not None:
        habilitation.establishments.add(establishment)
    return habilitation

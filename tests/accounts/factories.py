"""Accounts for tests, made through the real service (so logins and hashes are the real ones)."""

import itertools
from typing import Any

from apart.accounts.models import Account
from apart.accounts.services import create_account

_sequence = itertools.count(1)
STRONG_PASSWORD = "Nouveau-Mot2passe!"


def make_account(**overrides: Any) -> tuple[Account, str]:
    """A new employer account and its temporary password."""
    n = next(_sequence)
    fields: dict[str, Any] = {
        "first_name": "Ilmen",
        "last_name": "Foplus",
        "email": f"ilmen.foplus{n}@exemple.fr",
        "phone": "0102030405",
        "secret_question": "cylindrée",
        "secret_answer": "Mille deux cents",
    }
    fields.update(overrides)
    return create_account(**fields)


def make_active_account(password: str = STRONG_PASSWORD, **overrides: Any) -> Account:
    """An account whose first-login change is done: it logs in with ``password``."""
    account, _ = make_account(**overrides)
    account.set_password(password)
    account.must_change_password = False
    account.temporary_password_expires_at = None
    account.save()
    return account

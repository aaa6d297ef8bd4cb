"""A small populated site for the generic tests: an employer with an establishment, a colleague,
an invitation, a pending request, agents, and the real values that fill URL parameters."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from apart.accounts.models import Account
from apart.accounts.recovery.services import issue_reset_token
from apart.establishments.models import Establishment, Invitation
from apart.habilitations.models import Habilitation
from apart.notifications.models import OutboundEmail
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.habilitations.factories import make_habilitation
from tests.mfa.factories import enrol_totp
from tests.notifications.helpers import queue_check
from tests.registration.factories import make_sirene
from tests.space.factories import complete_fiche, habilitate, make_establishment

ROLES = ("anonymous", "employer", "agent")


@dataclass
class World:
    employer: Account
    colleague: Account
    agent: Account
    establishment: Establishment
    pending: Habilitation
    # URL parameter name -> real values that lead to a page (tried first)
    known: dict[str, list[Any]] = field(default_factory=dict)

    def account_for(self, role: str) -> Account | None:
        return {"anonymous": None, "employer": self.employer, "agent": self.agent}[role]


def _email_change_token(account: Account, new: str) -> str:
    from apart.space.models import EmailChangeRequest

    token = "email-change-" + "y" * 32
    EmailChangeRequest.objects.create(
        account=account,
        new_email=new,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        expires_at=timezone.now() + timedelta(hours=24),
    )
    return token


def build_world() -> World:
    employer = make_active_account(first_name="Ilmen", last_name="Foplus")
    colleague = make_active_account(first_name="Jean", last_name="Martig")
    agent = make_active_account(
        first_name="Agnès", last_name="Administratrice", role=Account.Role.ADMINISTRATOR
    )
    enrol_totp(agent)  # agents cannot use the site without a second factor
    establishment = make_establishment(main_contact=employer)
    other = make_establishment(main_contact=employer)
    complete_fiche(establishment)
    habilitate(employer, establishment, other)
    habilitate(colleague, establishment)
    requester = make_active_account(first_name="Gérard", last_name="Menuça")
    pending = make_habilitation(
        account=requester, establishment=make_establishment(main_contact=requester)
    )
    invitation_token = "invitation-" + "x" * 32
    invitation = Invitation.objects.create(
        establishment=establishment,
        email="invitee@example.fr",
        invited_by=employer,
        token_hash=hashlib.sha256(invitation_token.encode()).hexdigest(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    email = queue_check(to=employer.email)
    reset_token = issue_reset_token(account=requester)
    known: dict[str, list[Any]] = {
        "pk": [establishment.pk, pending.pk, requester.pk, employer.pk, email.pk],
        "account_pk": [colleague.pk, employer.pk],
        "invitation_pk": [invitation.pk],
        "token": [
            invitation_token,
            reset_token,
            _email_change_token(employer, "nouvelle.adresse@example.fr"),
        ],
        "object_id": [employer.pk, establishment.pk, pending.pk],
        "content_type_id": [],
        # not a URL parameter: a SIRENE establishment with no space yet (registration step 1)
        "free_siret": [make_sirene().siret],
    }
    assert isinstance(email, OutboundEmail)
    return World(employer, colleague, agent, establishment, pending, known)


def log_in_as(client: Any, world: World, role: str) -> None:
    """A session for ``role`` (force_login: the login page has tests of its own)."""
    account = world.account_for(role)
    if account is None:
        client.logout()
    else:
        client.force_login(account)


__all__ = ["ROLES", "STRONG_PASSWORD", "World", "build_world", "log_in_as"]

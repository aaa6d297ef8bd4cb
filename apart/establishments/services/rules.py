"""The refusal type and the rules shared by the services of establishments."""

from typing import Any

from apart.core.errors import UserError
from apart.establishments.models import Establishment


class MembershipError(UserError):
    """A change of spaces, invitations or colleagues refused by a business rule."""


ONLY_MAIN_CONTACT = "Seul le contact principal de l'établissement peut faire cette opération."
AGENT_NOT_EMPLOYER = (
    "Un compte d'agent ne peut pas être utilisé pour un espace employeur. Utilisez un compte "
    "employeur distinct, avec une autre adresse de courriel."
)


def require_main_contact(establishment: Establishment, actor: Any) -> None:
    if establishment.main_contact_id != getattr(actor, "pk", None):
        raise MembershipError(ONLY_MAIN_CONTACT)

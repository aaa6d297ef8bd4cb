"""What the ProConnect sign-in keeps in the session.

- The verified identity waiting for its account to be proven (signed, timestamped: at most
  APART_PROCONNECT_PENDING_MINUTES old), read by the link page and the registration journey.
- The SIRET a verified identity brings to « Créer mon espace » (``offer_siret``): registration,
  above ProConnect, takes it as its step 1 (``take_offered_siret``); ProConnect knows nothing of
  registration.
- After a sign-in through ProConnect: the ID token (for the end-session request) and the acr
  the provider vouched for (``second_factor_satisfied``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest

from apart.proconnect import acr

PENDING_KEY = "proconnect_pending"
ID_TOKEN_KEY = "proconnect_id_token"  # noqa: S105 (a session key)
ACR_KEY = "proconnect_acr"
AWAITING_KEY = "proconnect_link_awaits_second_factor"
OFFERED_SIRET_KEY = "proconnect_offered_siret"
_SALT = "apart.proconnect.pending"


@dataclass(frozen=True)
class PendingIdentity:
    issuer: str
    subject: str
    email: str
    given_name: str
    usual_name: str
    siret: str
    phone: str
    acr: str

    @property
    def email_domain(self) -> str:
        return self.email.rpartition("@")[2].lower()


def remember_pending(request: HttpRequest, claims: dict[str, str]) -> None:
    request.session[PENDING_KEY] = signing.dumps(claims, salt=_SALT)


def pending_identity(request: HttpRequest) -> PendingIdentity | None:
    """The identity verified a moment ago and not linked yet, or None (missing or stale)."""
    token = request.session.get(PENDING_KEY)
    if not isinstance(token, str):
        return None
    try:
        data = signing.loads(
            token, salt=_SALT, max_age=settings.APART_PROCONNECT_PENDING_MINUTES * 60
        )
    except signing.BadSignature:
        return None
    try:
        return PendingIdentity(**{key: str(data[key]) for key in PendingIdentity.__annotations__})
    except (KeyError, TypeError):
        return None


def forget_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def offer_siret(request: HttpRequest, siret: str) -> None:
    """Hand the identity's SIRET to « Créer mon espace » (read once by its step 2)."""
    request.session[OFFERED_SIRET_KEY] = siret


def take_offered_siret(request: HttpRequest) -> str | None:
    """The SIRET ProConnect handed over, once; None when there is none."""
    value = request.session.pop(OFFERED_SIRET_KEY, None)
    return value if isinstance(value, str) and value else None


def await_second_step(request: HttpRequest, account_id: int) -> None:
    """The password of this account was right; the link waits for its second factor."""
    request.session[AWAITING_KEY] = account_id


def awaiting_second_step(request: HttpRequest) -> int | None:
    value = request.session.get(AWAITING_KEY)
    return value if isinstance(value, int) else None


def forget_awaiting(request: HttpRequest) -> None:
    request.session.pop(AWAITING_KEY, None)


def remember_sign_in(request: HttpRequest, *, id_token: str, acr_value: str) -> None:
    request.session[ID_TOKEN_KEY] = id_token
    request.session[ACR_KEY] = acr_value


def second_factor_satisfied(request: HttpRequest) -> bool:
    """True when this session was opened through ProConnect with an acr at least
    APART_PROCONNECT_ACR that includes a second factor: APART's own second factor is then not
    asked again (the hook for the second-factor gate)."""
    value = request.session.get(ACR_KEY)
    if not isinstance(value, str) or not value:
        return False
    required = settings.APART_PROCONNECT_ACR
    return acr.satisfies(value, required) and acr.rank(value) >= max(
        acr.SECOND_FACTOR_RANK, acr.rank(required)
    )

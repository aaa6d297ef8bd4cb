"""Reads of registered establishments: who sees which establishment (membership), and whether a
SIRET may get a space.

Membership decision (documented in docs/space.md): an account is a member of an establishment
when the establishment is on the account's *active* APART habilitation
(``Habilitation.establishments``). Pending memberships grant nothing anywhere: neither a pending
habilitation request nor a pending request to add an establishment to an active habilitation
(``AttachmentRequest``, decided by an agent) counts; such a SIRET is at most listed as « en
attente de validation » (``awaiting_validation``), with no access. The main contact is
``Establishment.main_contact``: a non-null foreign key, so there is exactly one per
establishment, and the services keep them a member. Colleagues are the other members. No second
membership table: the habilitation is already what agents grant and what the login gate checks.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Value, Window
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from apart.accounts.models import Account
from apart.directory.eligibility import Eligibility, assistance_line, sirene_eligibility
from apart.establishments.models import Establishment, Invitation
from apart.habilitations.models import Application, AttachmentRequest, Habilitation

SORTS = {
    "nom": ("denomination", "siret"),
    "-nom": ("-denomination", "-siret"),
    "siret": ("siret",),
    "-siret": ("-siret",),
    "ville": ("city", "denomination"),
    "-ville": ("-city", "-denomination"),
}
DEFAULT_SORT = "nom"


def _membership(prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}habilitations__application__code": Application.APART,
            f"{prefix}habilitations__status": Habilitation.Status.ACTIVE,
        }
    )


def establishments_of(account: Any) -> QuerySet[Establishment]:
    """The establishments ``account`` is a member of (no duplicates: an account has at most one
    active APART habilitation)."""
    return Establishment.objects.filter(_membership(), habilitations__account=account).order_by(
        *SORTS[DEFAULT_SORT]
    )


# What lists show: a few columns and the stored completeness (no fiche row = incomplete).
LISTED_FIELDS = ("id", "siret", "denomination", "city", "main_contact_id")


def listed(establishments: QuerySet[Establishment]) -> QuerySet[Establishment]:
    return establishments.only(*LISTED_FIELDS).annotate(
        fiche_complete=Coalesce(F("fiche__complete"), Value(False))
    )


def listed_complete(establishment: Establishment) -> bool:
    """The stored completeness of an establishment read through listed()."""
    return bool(getattr(establishment, "fiche_complete", False))


def establishment_for(account: Any, pk: Any) -> Establishment:
    """One of ``account``'s establishments with its fiche, or Http404 (another's id says
    nothing more)."""
    try:
        return establishments_of(account).select_related("fiche").get(pk=int(pk))
    except (Establishment.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("établissement inconnu") from None


def search_establishments(
    account: Any, *, query: str = "", sort: str = ""
) -> QuerySet[Establishment]:
    """The list page: search in name, SIRET and town (case-insensitive), sorted by a column."""
    establishments = listed(establishments_of(account))
    query = " ".join(query.split())[:100]
    if query:
        compact = query.replace(" ", "").replace(".", "")
        condition = Q(denomination__icontains=query) | Q(city__icontains=query)
        if compact.isdigit():
            condition |= Q(siret__contains=compact)
        establishments = establishments.filter(condition)
    return establishments.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def members_of(establishment: Establishment) -> QuerySet[Account]:
    """The accounts having access to the establishment (main contact first, then by name)."""
    return (
        Account.objects.filter(_membership(), habilitations__establishments=establishment)
        .distinct()
        .order_by("last_name", "first_name", "login")
    )


def is_member(account: Any, establishment: Establishment) -> bool:
    return establishments_of(account).filter(pk=establishment.pk).exists()


def has_interest(account: Any, establishment: Establishment) -> bool:
    """The account is the establishment's main contact or a member: it may not decide on the
    establishment's requests (DAP, DI) as an agent."""
    if getattr(account, "pk", None) is None:
        return False
    return establishment.main_contact_id == account.pk or is_member(account, establishment)


def pending_invitations(establishment: Establishment) -> QuerySet[Invitation]:
    return establishment.invitations.filter(status=Invitation.Status.PENDING).order_by(
        "-created_at"
    )


@dataclass(frozen=True)
class Dashboard:
    """What the dashboard shows of the account's establishments."""

    total: int
    shown: list[Establishment]
    current: Establishment | None


DASHBOARD_SHOWN = 5


def dashboard_establishments(account: Any, *, current_id: Any = None) -> Dashboard:
    """A constant number of queries whatever the number of establishments: one query for the
    first few by name (a few columns and the stored completeness) and the total (a window
    count, computed before the LIMIT), and one more only when the current establishment is not
    among them."""
    establishments = listed(establishments_of(account))
    counted = establishments.annotate(total_count=Window(Count("pk")))[:DASHBOARD_SHOWN]
    shown: list[Establishment] = list(counted)
    total = int(getattr(shown[0], "total_count", 0)) if shown else 0
    current: Establishment | None = None
    if current_id is not None:
        current = next((e for e in shown if e.pk == current_id), None)
        if current is None and isinstance(current_id, int):
            current = establishments.filter(pk=current_id).first()
    if current is None and shown:
        current = shown[0]
    return Dashboard(total=total, shown=shown, current=current)


def awaiting_validation(account: Any) -> QuerySet[Establishment]:
    """The SIRETs ``account`` asked to add to the active habilitation, not decided yet: shown as
    « en attente de validation », never opened."""
    return (
        Establishment.objects.filter(
            attachment_requests__status=AttachmentRequest.Status.PENDING,
            attachment_requests__habilitation__account=account,
        )
        .only("id", "siret", "denomination", "city")
        .order_by("denomination", "siret")
    )


def establishment_by_siret(siret: str) -> Establishment | None:
    return Establishment.objects.filter(siret=siret).first()


def has_space(siret: str) -> bool:
    """Whether the establishment already has a space (one space per SIRET)."""
    return Establishment.objects.filter(siret=siret).exists()


def space_already_exists() -> str:
    """Refusal that tells how to proceed without saying who holds the space."""
    return (
        "Un espace existe déjà pour cet établissement sur l'extranet Activité Partielle. Pour "
        "y accéder, adressez-vous à la personne en charge de cet espace dans votre entreprise, "
        f"qui peut vous y ajouter, ou contactez {assistance_line()}."
    )


def siret_eligibility(siret: str) -> Eligibility:
    """Step 1's checks after the SIRET's own validity: no space yet, known and open in SIRENE."""
    if has_space(siret):
        return Eligibility(refusal=space_already_exists())
    return sirene_eligibility(siret)


def token_hash(token: str) -> str:
    """How an invitation's token is stored (SHA-256: the link itself is never kept)."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> Invitation | None:
    """The pending, unexpired invitation of this link, or None."""
    if not token or len(token) > 100 or "\x00" in token:
        return None
    return (
        Invitation.objects.select_related("establishment", "invited_by")
        .filter(
            token_hash=token_hash(token),
            status=Invitation.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        .first()
    )

"""Reads for the agents' pages: the queue, a request's context and warnings, the figures."""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from apart.core.normalize import fold
from apart.directory.lookup import lookup_siret
from apart.establishments.models import Establishment
from apart.habilitations.dates import PARIS, paris_today
from apart.habilitations.models import AttachmentRequest, Habilitation, HabilitationEvent
from apart.registration.models import RegistrationRequest

# From this many requests sharing an email or an IP address (30 days), agents are warned.
REPEAT_THRESHOLD = 3
REPEAT_WINDOW = datetime.timedelta(days=30)
# Fallback of the non-blocking "état civil" check when no registration snapshot exists.
NAME_KEYWORDS = {
    "sarl", "sas", "sasu", "eurl", "sa", "sci", "scop", "societe", "entreprise", "ets",
    "etablissement", "etablissements", "association", "mairie", "commune", "cabinet", "groupe",
    "monsieur", "madame", "mademoiselle", "m", "mme", "mlle", "mr", "gerant", "gerante",
    "directeur", "directrice", "president", "presidente", "service", "comptabilite", "rh",
    "contact", "accueil", "secretariat",
}  # fmt: skip


def department_prefixes(department: str) -> list[str]:
    """Postal code prefixes of a department code (2A/2B share the 20xxx codes)."""
    code = department.upper()
    if code == "2A":
        return ["200", "201"]
    if code == "2B":
        return ["202", "203", "204", "205", "206"]
    return [code]


def pending_queue(
    *,
    application_code: str = "",
    department: str = "",
    requested_from: datetime.date | None = None,
    requested_to: datetime.date | None = None,
) -> QuerySet[Habilitation]:
    """Pending requests, oldest first, filtered (department: from an establishment's postal
    code; dates: the request date in Europe/Paris, both ends included)."""
    queue = Habilitation.objects.filter(status=Habilitation.Status.PENDING)
    if application_code:
        queue = queue.filter(application__code=application_code)
    if department:
        by_prefix = Q()
        for prefix in department_prefixes(department):
            by_prefix |= Q(postal_code__startswith=prefix)
        matching = Establishment.objects.filter(by_prefix).values("pk")
        queue = queue.filter(establishments__in=matching)
    if requested_from:
        start = datetime.datetime.combine(requested_from, datetime.time.min, tzinfo=PARIS)
        queue = queue.filter(requested_at__gte=start)
    if requested_to:
        end = datetime.datetime.combine(
            requested_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=PARIS
        )
        queue = queue.filter(requested_at__lt=end)
    return (
        queue.distinct()
        .select_related("account", "application")
        .prefetch_related("establishments")
        .order_by("requested_at", "pk")
    )


def renewal_queue() -> QuerySet[Habilitation]:
    return (
        Habilitation.objects.filter(
            status=Habilitation.Status.ACTIVE, renewal_requested_at__isnull=False
        )
        .select_related("account", "application")
        .prefetch_related("establishments")
        .order_by("renewal_requested_at", "pk")
    )


def attachment_queue() -> QuerySet[AttachmentRequest]:
    """Requests to add an establishment to an active habilitation, oldest first."""
    return (
        AttachmentRequest.objects.filter(status=AttachmentRequest.Status.PENDING)
        .select_related("habilitation__account", "establishment")
        .order_by("requested_at", "pk")
    )


@dataclass(frozen=True)
class Warning:
    message: str


def _name_looks_flagged(first_name: str, last_name: str) -> bool:
    words = set(fold(f"{first_name} {last_name}").replace(".", " ").replace("-", " ").split())
    return bool(words & NAME_KEYWORDS)


def request_warnings(habilitation: Habilitation) -> list[Warning]:
    """What an agent should look at twice before deciding (never blocking by itself)."""
    warnings: list[Warning] = []
    account = habilitation.account
    snapshots = list(habilitation.registration_requests.all())
    flagged = (
        any(s.name_flagged for s in snapshots)
        if snapshots
        else _name_looks_flagged(account.first_name, account.last_name)
    )
    if flagged:
        warnings.append(
            Warning(
                "Le nom ou le prénom saisi ressemble à une raison sociale ou à un titre "
                "(« Merci de saisir votre état civil uniquement. »)."
            )
        )
    since = timezone.now() - REPEAT_WINDOW
    by_email = RegistrationRequest.objects.filter(
        email__iexact=account.email, created_at__gte=since
    ).count()
    if by_email >= REPEAT_THRESHOLD:
        warnings.append(
            Warning(f"{by_email} demandes avec le courriel {account.email} en 30 jours.")
        )
    addresses = {s.ip_address for s in snapshots if s.ip_address}
    if habilitation.requested_ip:
        addresses.add(habilitation.requested_ip)
    for address in sorted(addresses):
        count = Habilitation.objects.filter(requested_ip=address, requested_at__gte=since).count()
        snapshots_count = RegistrationRequest.objects.filter(
            ip_address=address, created_at__gte=since
        ).count()
        total = max(count, snapshots_count)
        if total >= REPEAT_THRESHOLD:
            warnings.append(Warning(f"{total} demandes depuis l'adresse IP {address} en 30 jours."))
    return warnings


def sirene_record(siret: str) -> Any:
    """The SIRENE directory's record of a SIRET, or None (directory unavailable or unknown)."""
    try:
        result = lookup_siret(siret)
    except Exception:  # the INSEE API may fail: the page still shows what we hold
        return None
    return result


def habilitation_audit(habilitation: Habilitation) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type="habilitations.habilitation", object_id=str(habilitation.pk)
    ).select_related("actor")


def account_audit(account: Account) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(Q(account=account) | Q(actor=account)).select_related(
        "actor", "account"
    )


@dataclass(frozen=True)
class QueueFigures:
    pending: int
    median_age: datetime.timedelta | None
    oldest_age: datetime.timedelta | None
    decisions_by_day: list[tuple[datetime.date, int, int]]  # day, approved, rejected

    @property
    def max_decisions(self) -> int:
        return max((a + r for _, a, r in self.decisions_by_day), default=0)


def _median(ages: list[datetime.timedelta]) -> datetime.timedelta | None:
    if not ages:
        return None
    middle = len(ages) // 2
    return ages[middle] if len(ages) % 2 else (ages[middle - 1] + ages[middle]) / 2


def queue_figures(*, days: int = 14) -> QueueFigures:
    now = timezone.now()
    requested = list(
        Habilitation.objects.filter(status=Habilitation.Status.PENDING).values_list(
            "requested_at", flat=True
        )
    )
    ages = sorted(now - at for at in requested)
    today = paris_today()
    first_day = today - datetime.timedelta(days=days - 1)
    since = datetime.datetime.combine(first_day, datetime.time.min, tzinfo=PARIS)
    rows = (
        HabilitationEvent.objects.filter(
            created_at__gte=since,
            old_status=Habilitation.Status.PENDING,
            new_status__in=[Habilitation.Status.ACTIVE, Habilitation.Status.REJECTED],
        )
        .annotate(day=TruncDate("created_at", tzinfo=PARIS))
        .values("day", "new_status")
        .annotate(n=Count("id"))
    )
    counts = {(row["day"], row["new_status"]): row["n"] for row in rows}
    by_day = [
        (
            day,
            counts.get((day, Habilitation.Status.ACTIVE), 0),
            counts.get((day, Habilitation.Status.REJECTED), 0),
        )
        for day in (first_day + datetime.timedelta(days=i) for i in range(days))
    ]
    return QueueFigures(
        pending=len(ages),
        median_age=_median(ages),
        oldest_age=ages[-1] if ages else None,
        decisions_by_day=by_day,
    )


COMPARED_FIELDS = [
    ("denomination", "Dénomination de l'établissement"),
    ("street_number", "Numéro de voie"),
    ("street_number_extension", "Extension de voie"),
    ("street_type", "Type de voie"),
    ("street_name", "Libellé de la voie"),
    ("address_complement", "Complément d'adresse"),
    ("postal_code", "Code postal"),
    ("city", "Ville"),
]


@dataclass(frozen=True)
class ComparedField:
    label: str
    sirene: str
    typed: str

    @property
    def differs(self) -> bool:
        return fold(self.sirene) != fold(self.typed)


@dataclass(frozen=True)
class EstablishmentReview:
    establishment: Establishment
    sirene_status: str  # French label, or "" when the directory could not answer
    typed_source: str  # "saisie du demandeur" or "établissement enregistré"
    fields: list[ComparedField]


def establishment_review(establishment: Establishment, typed: Any) -> EstablishmentReview:
    """SIRENE's record beside what the user typed (the registration snapshot, else the row)."""
    result = sirene_record(establishment.siret)
    record = getattr(result, "establishment", None)
    source = typed if typed is not None else establishment
    return EstablishmentReview(
        establishment=establishment,
        sirene_status=result.status.label if result is not None else "",
        typed_source="saisie du demandeur" if typed is not None else "établissement enregistré",
        fields=[
            ComparedField(
                label=label,
                sirene=str(getattr(record, name, "") or "") if record is not None else "",
                typed=str(getattr(source, name, "") or ""),
            )
            for name, label in COMPARED_FIELDS
        ],
    )


def visible_accounts(viewer: Any) -> QuerySet[Account]:
    """The accounts a helpdesk agent may see, act on and export: employers only for the
    assistance role (agents' and administrators' accounts are none of its business); every
    account for an administrator."""
    accounts = Account.objects.all()
    if getattr(viewer, "role", None) != Account.Role.ADMINISTRATOR:
        accounts = accounts.filter(role=Account.Role.EMPLOYER)
    return accounts


def search_accounts(query: str, *, viewer: Any, limit: int = 50) -> list[Any]:
    """Accounts by login, email, name (accents and case ignored) or SIRET (the establishments
    they hold or are habilitated for, and the SIRETs of imported sibling habilitations), among
    those ``viewer`` may see."""
    text = query.strip()
    if not text:
        return []
    digits = re.sub(r"[\s.]", "", text)
    matches = Q(login__iexact=text) | Q(email__iexact=text) | Q(login__icontains=text)
    if "@" in text:
        matches |= Q(email__icontains=text)
    words = text.split()
    by_name = Q()
    for word in words[:4]:
        by_name &= Q(last_name__icontains=word) | Q(first_name__icontains=word)
    matches |= by_name
    if digits.isdigit() and len(digits) == 14:
        matches |= Q(main_contact_of__siret=digits) | Q(habilitations__establishments__siret=digits)
        matches |= Q(habilitations__external_sirets__icontains=digits)
    return list(
        visible_accounts(viewer)
        .filter(matches)
        .distinct()
        .order_by("last_name", "first_name", "login")[:limit]
    )


def account_establishments(account: Account) -> QuerySet[Establishment]:
    return (
        Establishment.objects.filter(Q(main_contact=account) | Q(habilitations__account=account))
        .distinct()
        .order_by("siret")
    )

"""Gathering the facts the rules need (apart.fraud.rules) from the database.

The facts of an establishment (SIRENE band and dates, IBAN, emails, phones, registration
addresses, and how many unrelated SIRENs share them) are read once per establishment and kept
in a FactsCache for the length of one refresh, so that assessing many items of the same
establishment (a bulk refresh) costs its queries once.
"""

import datetime
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr

from apart.audit.actions import AuditAction
from apart.audit.models import AuditEvent
from apart.claims.models import Claim
from apart.dap.models import AuthorisationRequest
from apart.directory.models import DirectoryEstablishment, LegalUnit
from apart.establishments.models import BankDetailsVersion, Establishment, EstablishmentFiche
from apart.fraud.rules import Facts, Thresholds
from apart.habilitations.models import Habilitation
from apart.registration.models import RegistrationRequest


def thresholds() -> Thresholds:
    return Thresholds(
        bank_change_days=settings.APART_FRAUD_BANK_CHANGE_DAYS,
        recent_creation_months=settings.APART_FRAUD_RECENT_CREATION_MONTHS,
        shared_sirens=settings.APART_FRAUD_SHARED_SIRENS,
        burst_count=settings.APART_FRAUD_BURST_COUNT,
        medium_score=settings.APART_FRAUD_MEDIUM_SCORE,
        high_score=settings.APART_FRAUD_HIGH_SCORE,
    )


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _unrelated_sirens(establishments: QuerySet[Establishment], own: Establishment) -> int:
    """How many SIRENs other than ``own``'s, managed by another account, are in the set."""
    return (
        establishments.exclude(siret__startswith=own.siret[:9])
        .exclude(main_contact_id=own.main_contact_id)
        .annotate(siren=Substr("siret", 1, 9))
        .values("siren")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class _Snapshot:
    """What the registration of the establishment recorded (the person's email, phone and the
    client address), if it is still kept (RGPD retention, apart.privacy)."""

    emails: tuple[str, ...]
    phones: tuple[str, ...]
    address: str | None
    registered_at: datetime.datetime | None


def _snapshot(establishment: Establishment) -> _Snapshot:
    rows = list(
        RegistrationRequest.objects.filter(establishment=establishment)
        .order_by("created_at")
        .values_list("email", "phone", "ip_address", "created_at")
    )
    emails = [establishment.email, *(row[0] for row in rows)]
    phones = [establishment.phone, *(row[1] for row in rows)]
    first = rows[0] if rows else None
    return _Snapshot(
        emails=tuple(dict.fromkeys(e.strip().lower() for e in emails if e)),
        phones=tuple(dict.fromkeys(p for p in phones if p)),
        address=first[2] if first else None,
        registered_at=first[3] if first else None,
    )


def _establishment_facts(establishment: Establishment, bank: BankDetailsVersion | None) -> Facts:
    siret = establishment.siret
    directory = (
        DirectoryEstablishment.objects.filter(siret=siret)
        .values_list("workforce_bracket", "created_on")
        .first()
    )
    unit_created = (
        LegalUnit.objects.filter(siren=siret[:9]).values_list("created_on", flat=True).first()
    )
    snapshot = _snapshot(establishment)
    email_match = Q()
    for email in snapshot.emails:
        email_match |= Q(email__iexact=email) | Q(registration_requests__email__iexact=email)
    phone_match = Q(phone__in=snapshot.phones) | Q(registration_requests__phone__in=snapshot.phones)
    everyone = Establishment.objects.all()
    window = datetime.timedelta(hours=settings.APART_FRAUD_BURST_HOURS)
    registrations_from_address = registrations_from_domain = daps_from_address = 0
    address_other = 0
    if snapshot.address and snapshot.registered_at:
        around = (snapshot.registered_at - window, snapshot.registered_at + window)
        registrations_from_address = RegistrationRequest.objects.filter(
            ip_address=snapshot.address, created_at__range=around
        ).count()
        daps_from_address = AuditEvent.objects.filter(
            action=AuditAction.DAP_SUBMITTED, ip_address=snapshot.address, created_at__range=around
        ).count()
        address_other = _unrelated_sirens(
            everyone.filter(registration_requests__ip_address=snapshot.address), establishment
        )
    if snapshot.emails and snapshot.registered_at:
        around = (snapshot.registered_at - window, snapshot.registered_at + window)
        domain = snapshot.emails[-1].rpartition("@")[2]
        registrations_from_domain = RegistrationRequest.objects.filter(
            email__iendswith="@" + domain, created_at__range=around
        ).count()
    iban_other = 0
    if bank is not None:
        iban_other = _unrelated_sirens(
            everyone.filter(fiche__bank_version__iban=bank.iban), establishment
        )
    return Facts(
        workforce_band=directory[0] if directory else None,
        establishment_created=_date(directory[1]) if directory else None,
        legal_unit_created=_date(unit_created),
        emails=snapshot.emails,
        email_other_sirens=_unrelated_sirens(everyone.filter(email_match), establishment)
        if snapshot.emails
        else 0,
        iban=bank.iban if bank else "",
        iban_other_sirens=iban_other,
        phone_other_sirens=_unrelated_sirens(everyone.filter(phone_match), establishment)
        if snapshot.phones
        else 0,
        address_other_sirens=address_other,
        bank_changed_at=bank.created_at if bank and bank.created_by_id else None,
        registrations_from_address=registrations_from_address,
        registrations_from_domain=registrations_from_domain,
        daps_from_address=daps_from_address,
    )


class FactsCache:
    """The facts of each establishment (and bank version), read once per refresh."""

    def __init__(self) -> None:
        self._facts: dict[tuple[int, int | None], Facts] = {}
        self.hits = 0
        self.misses = 0

    def establishment(self, establishment: Establishment, bank: BankDetailsVersion | None) -> Facts:
        key = (establishment.pk, bank.pk if bank else None)
        if key in self._facts:
            self.hits += 1
        else:
            self.misses += 1
            self._facts[key] = _establishment_facts(establishment, bank)
        return self._facts[key]


def _current_bank(establishment: Establishment) -> BankDetailsVersion | None:
    fiche = (
        EstablishmentFiche.objects.filter(establishment=establishment)
        .select_related("bank_version")
        .first()
    )
    return fiche.bank_version if fiche else None


def claim_facts(claim: Claim, cache: FactsCache, *, employees: int | None = None) -> Facts:
    """A DI: the employees are its lines, the placement the decision's period, the bank details
    those it was submitted with."""
    decision = claim.decision
    base = cache.establishment(decision.request.establishment, claim.submitted_bank)
    return replace(
        base,
        employees_claimed=claim.lines.count() if employees is None else employees,
        placement_start=decision.start_date,
        submitted_at=claim.submitted_at,
    )


def dap_facts(dap: AuthorisationRequest, cache: FactsCache) -> Facts:
    base = cache.establishment(dap.establishment, _current_bank(dap.establishment))
    return replace(
        base,
        employees_claimed=dap.employees,
        placement_start=dap.start_date,
        submitted_at=dap.submitted_at,
    )


def habilitation_facts(habilitation: Habilitation, cache: FactsCache) -> list[Facts]:
    """A habilitation request: the facts of each establishment it covers."""
    return [
        cache.establishment(establishment, _current_bank(establishment))
        for establishment in habilitation.establishments.order_by("pk")
    ]


def subject_label(subject: Any) -> str:
    return getattr(subject, "reference", "") or str(subject)

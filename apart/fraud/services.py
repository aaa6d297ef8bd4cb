"""Changes of state of the fraud signals: computing them (at registration, at bank-detail
changes, at DAP and DI submission, and again when their inputs change), the agents' review,
and the rule every approval of a flagged item goes through (four eyes for a high risk)."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.claims.models import Claim
from apart.core.errors import AlreadyDecided
from apart.core.hooks import ApprovalRefused
from apart.dap.models import AuthorisationRequest
from apart.establishments.models import Establishment
from apart.fraud import facts as gather
from apart.fraud.models import Assessment, ReviewOutcome, RiskLevel, Signal
from apart.fraud.rules import Finding, evaluate, risk_level
from apart.fraud.selectors import subject_field
from apart.habilitations.models import Habilitation

REVIEW_FIRST = (
    "Examinez d'abord les signaux de fraude de cette demande (niveau de risque {level}) : "
    "écartez-les avec leur motif, ou confirmez-les."
)
SIGNALS_CONFIRMED = (
    "Les signaux de fraude de cette demande ont été confirmés : elle ne peut pas être approuvée."
)
FOUR_EYES = (
    "Risque élevé : un autre agent que celui qui a écarté les signaux doit approuver cette "
    "demande (double regard)."
)
REVIEW_REASON_REQUIRED = "Indiquez le motif de votre examen des signaux."
NOTHING_TO_REVIEW = "Cette demande n'a aucun signal de fraude à examiner."
ALREADY_DECIDED = gettext_noop(
    "Cette demande a déjà été décidée : ses signaux ne s'examinent plus."
)


class FraudCheckError(ApprovalRefused):
    """An approval or a review refused by the fraud rules; ``message`` is French, for the agent."""


Subject = Habilitation | AuthorisationRequest | Claim


def _merge(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per code (a habilitation covering several establishments), the heaviest."""
    by_code: dict[str, Finding] = {}
    for finding in findings:
        if finding.code not in by_code or finding.weight > by_code[finding.code].weight:
            by_code[finding.code] = finding
    return list(by_code.values())


def _store(subject: Model, findings: list[Finding], *, now: Any) -> Assessment:
    """Inside a transaction: the assessment of ``subject`` and its signal rows, written again.
    New reasons undo an earlier review (the agents must look again)."""
    thresholds = gather.thresholds()
    score = sum(finding.weight for finding in findings)
    reasons = [{"code": f.code, "reason": f.reason, "weight": f.weight} for f in findings]
    field = subject_field(subject)
    assessment, created = Assessment.objects.select_for_update().get_or_create(
        **{field: subject},
        defaults={
            "score": score,
            "level": risk_level(score, thresholds),
            "reasons": reasons,
            "computed_at": now,
        },
    )
    old_codes = set() if created else set(assessment.codes)
    new_codes = {f.code for f in findings}
    if not created:
        assessment.score, assessment.level = score, risk_level(score, thresholds)
        assessment.reasons, assessment.computed_at = reasons, now
        if new_codes - old_codes and assessment.review_outcome:
            assessment.reviewed_by, assessment.reviewed_at = None, None
            assessment.review_outcome, assessment.review_reason = "", ""
        assessment.save()
    Signal.objects.filter(
        assessment=assessment, status=Signal.Status.RAISED, code__in=old_codes - new_codes
    ).update(status=Signal.Status.WITHDRAWN, decided_at=now)
    open_codes = set(
        Signal.objects.filter(assessment=assessment, status=Signal.Status.RAISED).values_list(
            "code", flat=True
        )
    )
    Signal.objects.bulk_create(
        Signal(assessment=assessment, code=f.code, reason=f.reason, raised_at=now)
        for f in findings
        if f.code not in open_codes
    )
    if (created and findings) or (not created and new_codes != old_codes):
        record_event(
            action=AuditAction.FRAUD_ASSESSED,
            target=subject,
            old={"codes": sorted(old_codes)},
            new={"codes": sorted(new_codes), "score": score, "level": assessment.level},
        )
    return assessment


def refresh_claim(*, claim: Claim, cache: gather.FactsCache | None = None) -> Assessment:
    with transaction.atomic():
        facts = gather.claim_facts(claim, cache or gather.FactsCache())
        return _store(claim, evaluate(facts, gather.thresholds()), now=timezone.now())


def refresh_dap(*, dap: AuthorisationRequest, cache: gather.FactsCache | None = None) -> Assessment:
    with transaction.atomic():
        facts = gather.dap_facts(dap, cache or gather.FactsCache())
        return _store(dap, evaluate(facts, gather.thresholds()), now=timezone.now())


def refresh_habilitation(
    *, habilitation: Habilitation, cache: gather.FactsCache | None = None
) -> Assessment:
    thresholds = gather.thresholds()
    with transaction.atomic():
        findings = [
            finding
            for facts in gather.habilitation_facts(habilitation, cache or gather.FactsCache())
            for finding in evaluate(facts, thresholds)
        ]
        return _store(habilitation, _merge(findings), now=timezone.now())


def _open_items(establishment_ids: Iterable[int]) -> list[Subject]:
    ids = list(establishment_ids)
    items: list[Subject] = list(
        Habilitation.objects.filter(
            status=Habilitation.Status.PENDING, establishments__in=ids
        ).distinct()
    )
    items += AuthorisationRequest.objects.filter(
        establishment_id__in=ids, status__in=AuthorisationRequest.OPEN_STATUSES
    ).select_related("establishment")
    items += Claim.objects.filter(
        decision__request__establishment_id__in=ids,
        status__in=[Claim.Status.SUBMITTED, Claim.Status.VALIDATED],
    ).select_related("decision__request__establishment", "submitted_bank")
    return items


def refresh_establishment(*, establishment: Establishment, ibans: Iterable[str] = ()) -> int:
    """After a change of the establishment's bank details: its open items are assessed again,
    and so are those of the other establishments whose current IBAN is the old or the new one
    (they share it now, or no longer). Returns how many items were assessed."""
    ids = {establishment.pk}
    wanted = [iban for iban in ibans if iban]
    if wanted:
        ids |= set(
            Establishment.objects.filter(fiche__bank_version__iban__in=wanted).values_list(
                "pk", flat=True
            )
        )
    cache = gather.FactsCache()
    items = _open_items(ids)
    for item in items:
        if isinstance(item, Habilitation):
            refresh_habilitation(habilitation=item, cache=cache)
        elif isinstance(item, AuthorisationRequest):
            refresh_dap(dap=item, cache=cache)
        else:
            refresh_claim(claim=item, cache=cache)
    return len(items)


def review_signals(
    *,
    assessment: Assessment,
    actor: Account,
    confirm: bool,
    reason: str,
    audit: AuditContext = SYSTEM,
) -> Assessment:
    """An agent examines the signals of an item: clears them (with the reason: this is the first
    pair of eyes of a high risk) or confirms them (the item can then only be refused)."""
    reason = reason.strip()
    if not reason:
        raise FraudCheckError(REVIEW_REASON_REQUIRED)
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if not locked.reasons:
            raise FraudCheckError(NOTHING_TO_REVIEW)
        if not locked.is_open:
            raise AlreadyDecided(gettext(ALREADY_DECIDED))
        now = timezone.now()
        locked.reviewed_by, locked.reviewed_at = actor, now
        locked.review_outcome = ReviewOutcome.CONFIRMED if confirm else ReviewOutcome.CLEARED
        locked.review_reason = reason
        locked.save()
        Signal.objects.filter(assessment=locked, status=Signal.Status.RAISED).update(
            status=Signal.Status.CONFIRMED if confirm else Signal.Status.CLEARED,
            decided_at=now,
            decided_by=actor,
        )
        record_event(
            action=AuditAction.FRAUD_SIGNALS_CONFIRMED
            if confirm
            else AuditAction.FRAUD_SIGNALS_CLEARED,
            actor=actor,
            target=locked,
            new={"level": locked.level, "codes": locked.codes},
            reason=reason,
            context=audit,
        )
        return locked


def check_approval(*, subject: Model, actor: Account | None) -> None:
    """The rule every approval of an item goes through (call it inside the decision's
    transaction, before writing): from a medium risk the signals must have been examined; once
    confirmed, the item cannot be approved; for a high risk, the agent who cleared them cannot be
    the one who approves (four eyes). Raises FraudCheckError."""
    assessment = (
        Assessment.objects.select_for_update().filter(**{subject_field(subject): subject}).first()
    )
    if assessment is None or assessment.level in (RiskLevel.NONE, RiskLevel.LOW):
        return
    if assessment.review_outcome == ReviewOutcome.CONFIRMED:
        raise FraudCheckError(SIGNALS_CONFIRMED)
    if not assessment.review_outcome:
        raise FraudCheckError(REVIEW_FIRST.format(level=assessment.get_level_display().lower()))
    if assessment.level == RiskLevel.HIGH and assessment.reviewed_by_id == getattr(actor, "pk", 0):
        raise FraudCheckError(FOUR_EYES)


def close_on_decision(*, subject: Model, approved: bool, actor: Account | None) -> None:
    """Inside the decision's transaction: the signals still open are cleared by an approval and
    confirmed by a refusal (the figures count them)."""
    Signal.objects.filter(
        **{f"assessment__{subject_field(subject)}": subject}, status=Signal.Status.RAISED
    ).update(
        status=Signal.Status.CLEARED if approved else Signal.Status.CONFIRMED,
        decided_at=timezone.now(),
        decided_by=actor if actor is not None and actor.pk else None,
    )

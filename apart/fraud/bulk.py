"""Assessing many DI at once (after an operator changed a threshold, or for the benchmark):
the same rules and facts as apart.fraud.services, with the reads and writes batched."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from apart.audit.actions import AuditAction
from apart.audit.services import record_event
from apart.claims.models import Claim
from apart.fraud import facts as gather
from apart.fraud.models import Assessment, Signal
from apart.fraud.rules import evaluate, risk_level


@dataclass
class BulkReport:
    assessed: int = 0
    changed: int = 0
    flagged: int = 0
    establishments_read: int = 0


def _batch(ids: list[int], report: BulkReport, cache: gather.FactsCache) -> None:
    thresholds = gather.thresholds()
    now = timezone.now()
    claims = (
        Claim.objects.filter(pk__in=ids)
        .select_related("decision__request__establishment", "submitted_bank")
        .annotate(employees=Count("lines"))
    )
    existing = {a.claim_id: a for a in Assessment.objects.filter(claim_id__in=ids)}
    created: list[Assessment] = []
    changed: list[Assessment] = []
    codes: dict[int, dict[str, str]] = {}
    for claim in claims:
        findings = evaluate(
            gather.claim_facts(claim, cache, employees=claim.employees),  # type: ignore[attr-defined]
            thresholds,
        )
        score = sum(f.weight for f in findings)
        reasons = [{"code": f.code, "reason": f.reason, "weight": f.weight} for f in findings]
        codes[claim.pk] = {f.code: f.reason for f in findings}
        report.flagged += bool(findings)
        assessment = existing.get(claim.pk)
        if assessment is None:
            created.append(
                Assessment(
                    claim=claim,
                    score=score,
                    level=risk_level(score, thresholds),
                    reasons=reasons,
                    computed_at=now,
                )
            )
        elif assessment.reasons != reasons:
            if set(codes[claim.pk]) - set(assessment.codes):
                assessment.reviewed_by, assessment.reviewed_at = None, None
                assessment.review_outcome, assessment.review_reason = "", ""
            assessment.score, assessment.level = score, risk_level(score, thresholds)
            assessment.reasons, assessment.computed_at = reasons, now
            changed.append(assessment)
    Assessment.objects.bulk_create(created, batch_size=1000)
    Assessment.objects.bulk_update(
        changed,
        [
            "score",
            "level",
            "reasons",
            "computed_at",
            "reviewed_by",
            "reviewed_at",
            "review_outcome",
            "review_reason",
        ],
        batch_size=1000,
    )
    report.assessed += len(ids)
    report.changed += len(created) + len(changed)
    by_assessment = {a.pk: a.claim_id for a in [*created, *changed] if a.claim_id is not None}
    if not by_assessment:
        return
    open_signals = Signal.objects.filter(
        assessment_id__in=list(by_assessment), status=Signal.Status.RAISED
    ).values_list("pk", "assessment_id", "code")
    withdrawn, still_open = [], set()
    for pk, assessment_id, code in open_signals:
        if code in codes[by_assessment[assessment_id]]:
            still_open.add((assessment_id, code))
        else:
            withdrawn.append(pk)
    Signal.objects.filter(pk__in=withdrawn).update(status=Signal.Status.WITHDRAWN, decided_at=now)
    Signal.objects.bulk_create(
        (
            Signal(assessment_id=assessment_id, code=code, reason=reason, raised_at=now)
            for assessment_id, claim_id in by_assessment.items()
            for code, reason in codes[claim_id].items()
            if (assessment_id, code) not in still_open
        ),
        batch_size=1000,
    )


def refresh_claims(claims: QuerySet[Claim], *, batch_size: int = 2000) -> BulkReport:
    """Assess ``claims`` again, ``batch_size`` at a time (one transaction each); one audit row
    for the whole run."""
    report = BulkReport()
    cache = gather.FactsCache()
    ids = list(claims.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            _batch(ids[start : start + batch_size], report, cache)
    report.establishments_read = cache.misses
    with transaction.atomic():
        record_event(
            action=AuditAction.FRAUD_BULK_REFRESHED,
            new={"claims": report.assessed, "changed": report.changed, "flagged": report.flagged},
        )
    return report

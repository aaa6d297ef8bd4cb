"""Reads of the fraud signals for the agents' pages: the risk of an item, the queues' filter
and sort, the weekly figures."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Count, F, Model, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from apart.claims.models import Claim
from apart.dap.models import AuthorisationRequest
from apart.fraud.models import Assessment, Signal
from apart.habilitations.models import Habilitation

M = TypeVar("M", bound=Model)


def with_risk(
    queryset: QuerySet[M],
    *,
    risk_levels: Sequence[str] = (),
    by_risk: bool = False,
    path: str = "risk",
) -> QuerySet[M]:
    """The queue with each item's risk (``risk_level``, ``risk_score``, ``risk_reasons``),
    filtered to ``risk_levels`` and sorted by risk first when ``by_risk``; one query still."""
    queryset = queryset.annotate(  # type: ignore[assignment]
        risk_level=F(f"{path}__level"),
        risk_score=F(f"{path}__score"),
        risk_reasons=F(f"{path}__reasons"),
    )
    if risk_levels:
        queryset = queryset.filter(**{f"{path}__level__in": list(risk_levels)})
    if by_risk:
        ordering = [F("risk_score").desc(nulls_last=True), *queryset.query.order_by]
        queryset = queryset.order_by(*ordering)
    return queryset


@dataclass(frozen=True)
class RiskView:
    """What an agent's page shows of an item's risk."""

    assessment: Assessment | None

    @property
    def level(self) -> str:
        return self.assessment.level if self.assessment else "aucun"

    @property
    def reasons(self) -> list[dict[str, Any]]:
        return self.assessment.reasons if self.assessment else []


def subject_field(subject: Model) -> str:
    """The assessment's field that points at ``subject``."""
    if isinstance(subject, Habilitation):
        return "habilitation"
    if isinstance(subject, AuthorisationRequest):
        return "dap"
    if isinstance(subject, Claim):
        return "claim"
    raise TypeError(f"no fraud assessment for {type(subject).__name__}")


def assessment_of(subject: Model) -> Assessment | None:
    return Assessment.objects.filter(**{subject_field(subject): subject}).first()


def risk_of(subject: Model) -> RiskView:
    return RiskView(assessment_of(subject))


@dataclass(frozen=True)
class Week:
    start: datetime.date
    raised: int
    confirmed: int
    cleared: int
    held_amount: Decimal


def _by_week(queryset: QuerySet[Any], field: str) -> dict[datetime.date, int]:
    rows = (
        queryset.annotate(week=TruncWeek(field))
        .values("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    )
    return {_as_date(week): n for week, n in rows}


def _as_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value  # type: ignore[no-any-return]


def weekly_figures(*, weeks: int = 12, now: datetime.datetime | None = None) -> list[Week]:
    """Signals raised, confirmed and cleared per week (Monday), and the amounts of the validated
    DI whose payment is held, by the week of the bank-details change that held them."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    monday = today - datetime.timedelta(days=today.weekday())
    first = monday - datetime.timedelta(weeks=weeks - 1)
    since = datetime.datetime.combine(
        first, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    raised = _by_week(Signal.objects.filter(raised_at__gte=since), "raised_at")
    decided = Signal.objects.filter(decided_at__gte=since)
    confirmed = _by_week(decided.filter(status=Signal.Status.CONFIRMED), "decided_at")
    cleared = _by_week(decided.filter(status=Signal.Status.CLEARED), "decided_at")
    held_rows = (
        Claim.objects.filter(status=Claim.Status.VALIDATED)
        .exclude(validated_bank_id=F("decision__request__establishment__fiche__bank_version_id"))
        .annotate(
            week=TruncWeek("decision__request__establishment__fiche__bank_version__created_at")
        )
        .values("week")
        .annotate(total=Sum("total_amount"))
        .values_list("week", "total")
    )
    held: dict[datetime.date, Decimal] = {}
    for week, total in held_rows:
        if week is not None:
            held[_as_date(week)] = held.get(_as_date(week), Decimal(0)) + (total or Decimal(0))
    result = []
    for index in range(weeks):
        start = first + datetime.timedelta(weeks=index)
        result.append(
            Week(
                start=start,
                raised=raised.get(start, 0),
                confirmed=confirmed.get(start, 0),
                cleared=cleared.get(start, 0),
                held_amount=held.get(start, Decimal(0)),
            )
        )
    return result


def open_counts() -> dict[str, int]:
    """Items by risk level among those still assessed."""
    counts = dict(
        Assessment.objects.exclude(level="aucun")
        .values("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    return {level: counts.get(level, 0) for level in ("faible", "moyen", "eleve")}

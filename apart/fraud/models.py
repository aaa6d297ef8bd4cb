"""Fraud signals stored with the items agents decide on (habilitation requests, DAP, DI).

One Assessment per item: its score, level and reasons as computed last (refreshed when the
inputs change), and the agents' review of them (the four-eyes rule rests on it). One Signal
row per reason raised, kept with what became of it (confirmed, cleared, no longer applies) for
the agents' figures.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class RiskLevel(models.TextChoices):
    NONE = "aucun", "Aucun"
    LOW = "faible", "Faible"
    MEDIUM = "moyen", "Moyen"
    HIGH = "eleve", "Élevé"


class ReviewOutcome(models.TextChoices):
    CLEARED = "ecartes", "Signaux écartés"
    CONFIRMED = "confirmes", "Signaux confirmés"


class Assessment(models.Model):
    habilitation = models.OneToOneField(
        "habilitations.Habilitation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="risk",
    )
    dap = models.OneToOneField(
        "dap.AuthorisationRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="risk",
    )
    claim = models.OneToOneField(
        "claims.Claim", on_delete=models.CASCADE, null=True, blank=True, related_name="risk"
    )
    score = models.PositiveSmallIntegerField("score", default=0, db_index=True)
    level = models.CharField(
        "niveau de risque", max_length=8, choices=RiskLevel.choices, default=RiskLevel.NONE
    )
    # [{"code": ..., "reason": "...", "weight": n}], in the order of apart.fraud.rules.RULES.
    reasons = models.JSONField("motifs", default=list, blank=True)
    computed_at = models.DateTimeField("calculé le")
    # The agents' review of the signals: for a high risk, whoever clears them cannot be the agent
    # who then approves the item (four eyes). Reset when new reasons appear.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_outcome = models.CharField(
        max_length=10, choices=ReviewOutcome.choices, blank=True, default=""
    )
    review_reason = models.TextField("motif de l'examen", blank=True)

    class Meta:
        verbose_name = "évaluation du risque"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(habilitation__isnull=False, dap__isnull=True, claim__isnull=True)
                    | Q(habilitation__isnull=True, dap__isnull=False, claim__isnull=True)
                    | Q(habilitation__isnull=True, dap__isnull=True, claim__isnull=False)
                ),
                name="assessment_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(review_outcome="") | Q(reviewed_by__isnull=False),
                name="assessment_review_has_agent",
            ),
        ]
        indexes = [models.Index(fields=["level", "score"], name="assessment_level_score")]

    def __str__(self) -> str:
        return f"risque {self.level} ({self.score})"

    @property
    def codes(self) -> list[str]:
        return [reason["code"] for reason in self.reasons]

    @property
    def is_open(self) -> bool:
        """The item still awaits its decision: its signals may be examined."""
        if self.habilitation is not None:
            return bool(self.habilitation.status == "pending")
        if self.dap is not None:
            return self.dap.status in ("transmise", "instruction")
        return self.claim is not None and self.claim.status == "transmise"


class Signal(models.Model):
    class Status(models.TextChoices):
        RAISED = "signale", "Signalé"
        CONFIRMED = "confirme", "Confirmé"
        CLEARED = "ecarte", "Écarté"
        WITHDRAWN = "caduc", "Caduc (ne s'applique plus)"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="signals")
    code = models.CharField(max_length=32)
    reason = models.TextField("motif")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RAISED)
    raised_at = models.DateTimeField(db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "signal de fraude"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "code"],
                condition=Q(status="signale"),
                name="signal_one_open_per_code",
            ),
            models.CheckConstraint(
                condition=Q(status="signale") | Q(decided_at__isnull=False),
                name="signal_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.status})"

"""Demandes d'indemnisation (DI): one per month of an accepted decision, one line per employee."""

from collections.abc import Collection, Mapping

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apart.dap.models import Decision
from apart.establishments.models import BankDetailsVersion


class Claim(models.Model):
    """A monthly claim. Amounts are computed by apart.claims.allowance when lines change; the
    totals are stored so that lists and the payment export need no recomputation."""

    class Status(models.TextChoices):
        DRAFT = "brouillon", _("Brouillon")
        SUBMITTED = "transmise", _("Transmise")
        VALIDATED = "validee", _("Validée (à payer)")
        REJECTED = "rejetee", _("Rejetée")

    # The moves a claim may make (apart.audit.transitions): transmitted once, decided once.
    TRANSITIONS: Mapping[str, Collection[str]] = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.VALIDATED, Status.REJECTED},
    }

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="claims")
    # First day of the claimed month.
    month = models.DateField("mois")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims"
    )
    total_hours = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    total_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims_decided",
    )
    rejection_reason = models.TextField("motif du rejet", blank=True)
    # The bank details the claim was submitted with, and those the agent saw when validating:
    # the payment goes to the validated version only, and only while it is still the
    # establishment's current one (otherwise the payment waits for an agent's confirmation).
    # A claim validated before versions existed has none: it waits for a confirmation too.
    submitted_bank = models.ForeignKey(
        BankDetailsVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coordonnées bancaires à la transmission"),
    )
    validated_bank = models.ForeignKey(
        BankDetailsVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coordonnées bancaires validées"),
    )
    # The bank details changed less than APART_FRAUD_BANK_CHANGE_DAYS before the submission.
    bank_review = models.BooleanField("à vérifier : coordonnées bancaires récentes", default=False)

    class Meta:
        verbose_name = "demande d'indemnisation"
        ordering = ["-month", "-id"]
        constraints = [
            # One live claim per month of a decision (a rejected one may be filed again).
            models.UniqueConstraint(
                fields=["decision", "month"],
                condition=~Q(status="rejetee"),
                name="claim_one_per_month",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="claim_month_first_day"),
            models.CheckConstraint(
                condition=Q(status="brouillon") | Q(submitted_at__isnull=False),
                name="claim_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(total_hours__gte=0) & Q(total_amount__gte=0),
                name="claim_totals_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"DI {self.reference}"

    @property
    def reference(self) -> str:
        return f"DI-{self.pk:06d}" if self.pk else "DI"


class ClaimLine(models.Model):
    """One employee's hours not worked in the month and the allowance they open."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100)
    nir = models.CharField("NIR", max_length=15)
    hours = models.DecimalField("heures chômées", max_digits=7, decimal_places=2)
    hourly_gross = models.DecimalField("taux horaire brut", max_digits=8, decimal_places=2)
    hourly_allowance = models.DecimalField("allocation horaire", max_digits=8, decimal_places=2)
    amount = models.DecimalField("allocation", max_digits=11, decimal_places=2)

    class Meta:
        verbose_name = "salarié de la demande d'indemnisation"
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "nir"], name="claim_line_one_per_nir"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="claim_line_hours_positive"),
            models.CheckConstraint(
                condition=Q(hourly_gross__gt=0), name="claim_line_gross_positive"
            ),
            models.CheckConstraint(
                condition=Q(nir__regex=r"^[0-9]{5}([0-9]{2}|2A|2B)[0-9]{8}$"),
                name="claim_line_nir_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name}"

"""Demandes d'autorisation préalable (Code du travail, R5122-2) and the decisions taken on them."""

from collections.abc import Collection, Mapping

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apart.establishments.models import Establishment


class Reason(models.TextChoices):
    """The five reasons of article R5122-1 of the Code du travail."""

    ECONOMIC = "conjoncture", _("1° La conjoncture économique")
    SUPPLY = (
        "approvisionnement",
        (_("2° Des difficultés d'approvisionnement en matières premières ou en énergie")),
    )
    DISASTER = "sinistre", _("3° Un sinistre ou des intempéries de caractère exceptionnel")
    RESTRUCTURING = (
        "restructuration",
        (_("4° La transformation, restructuration ou modernisation de l'entreprise")),
    )
    OTHER = "autre", _("5° Toute autre circonstance de caractère exceptionnel")


# Reasons for which the DAP may follow the placement in activité partielle (within 30 days,
# R5122-3); for the others it must come first ("préalable").
AFTERWARDS_REASONS = (Reason.DISASTER, Reason.OTHER)


class Kind(models.TextChoices):
    REDUCTION = "reduction", _("Réduction de l'horaire de travail")
    CLOSURE = "fermeture", _("Fermeture temporaire de tout ou partie de l'établissement")


class CseOpinion(models.TextChoices):
    FAVOURABLE = "favorable", _("Favorable")
    UNFAVOURABLE = "defavorable", _("Défavorable")


class AuthorisationRequest(models.Model):
    """One DAP of an establishment. Draft until submitted; the employer edits drafts only."""

    class Status(models.TextChoices):
        DRAFT = "brouillon", _("Brouillon")
        SUBMITTED = "transmise", _("Transmise")
        UNDER_INSTRUCTION = "instruction", _("En cours d'instruction")
        ACCEPTED = "acceptee", _("Autorisée")
        REFUSED = "refusee", _("Refusée")

    OPEN_STATUSES = (Status.SUBMITTED, Status.UNDER_INSTRUCTION)
    # The moves a DAP may make (apart.audit.transitions): transmitted once, decided once.
    TRANSITIONS: Mapping[str, Collection[str]] = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.UNDER_INSTRUCTION, Status.ACCEPTED, Status.REFUSED},
        Status.UNDER_INSTRUCTION: {Status.ACCEPTED, Status.REFUSED},
    }

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="authorisation_requests"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authorisation_requests"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    reason = models.CharField("motif", max_length=20, choices=Reason.choices)
    reason_details = models.TextField("précisions sur le motif", max_length=2000, blank=True)
    start_date = models.DateField("date de début de la période")
    end_date = models.DateField("date de fin de la période")
    employees = models.PositiveIntegerField("nombre de salariés concernés")
    hours_requested = models.DecimalField(
        "nombre d'heures chômées prévisionnelles", max_digits=9, decimal_places=2
    )
    kind = models.CharField("nature de l'activité partielle", max_length=16, choices=Kind.choices)
    # Workforce of the fiche when the DAP was saved: it decides whether the CSE must be consulted.
    workforce = models.PositiveIntegerField("effectif de l'établissement")
    cse_consulted_on = models.DateField("date de consultation du CSE", null=True, blank=True)
    cse_opinion = models.CharField(
        "avis du CSE", max_length=16, choices=CseOpinion.choices, blank=True
    )
    previous_use = models.BooleanField(
        "recours à l'activité partielle au cours des 36 derniers mois", default=False
    )
    commitments = models.TextField("engagements de l'employeur", max_length=4000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    instructed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instructed_requests",
    )

    class Meta:
        verbose_name = "demande d'autorisation préalable"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="dap_period_ordered"
            ),
            models.CheckConstraint(condition=Q(employees__gte=1), name="dap_employees_positive"),
            models.CheckConstraint(
                condition=Q(hours_requested__gt=0), name="dap_hours_requested_positive"
            ),
            models.CheckConstraint(
                condition=Q(status="brouillon") | Q(submitted_at__isnull=False),
                name="dap_submitted_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"DAP {self.reference}"

    @property
    def reference(self) -> str:
        return f"DAP-{self.pk:06d}" if self.pk else "DAP"

    @property
    def needs_cse(self) -> bool:
        return self.workforce >= settings.APART_DAP_CSE_WORKFORCE


class Attachment(models.Model):
    """A PDF joined to a DAP, stored under MEDIA_ROOT with a random name."""

    request = models.ForeignKey(
        AuthorisationRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="dap/", max_length=200)
    original_name = models.CharField("nom du fichier", max_length=200)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pièce jointe"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Decision(models.Model):
    """The decision on a DAP: one per DAP (a constraint: of two agents deciding at once, one
    wins). Implicit acceptances (15 days of silence) have no agent."""

    class Outcome(models.TextChoices):
        ACCEPTED = "acceptee", _("Autorisation")
        REFUSED = "refusee", _("Refus")

    request = models.OneToOneField(
        AuthorisationRequest, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    implicit = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dap_decisions",
    )
    # The decision's date (Europe/Paris): for an implicit one, the day the silence ran out.
    decision_date = models.DateField("date de la décision")
    recorded_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField("motivation", max_length=4000)
    start_date = models.DateField("début de la période autorisée")
    end_date = models.DateField("fin de la période autorisée")
    hours_authorised = models.DecimalField(
        "heures autorisées", max_digits=9, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = "décision d'autorisation"
        ordering = ["-decision_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="refusee", hours_authorised=0)
                | Q(outcome="acceptee", hours_authorised__gt=0),
                name="decision_hours_match_outcome",
            ),
            models.CheckConstraint(
                condition=Q(implicit=True, decided_by__isnull=True)
                | Q(implicit=False, decided_by__isnull=False),
                name="decision_explicit_has_agent",
            ),
            models.CheckConstraint(
                condition=Q(implicit=False) | Q(outcome="acceptee"),
                name="decision_implicit_is_acceptance",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="decision_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"décision {self.reference}"

    @property
    def reference(self) -> str:
        return f"DEC-{self.request_id:06d}"

    @property
    def accepted(self) -> bool:
        return self.outcome == self.Outcome.ACCEPTED

"""Habilitations: the right of one account to use one ASP application, for a period."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Application(models.Model):
    """APART and the ASP's sibling extranets (seeded by a migration; administrators edit)."""

    APART = "APART"

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=100)
    default_validity_days = models.PositiveIntegerField(default=365)

    class Meta:
        verbose_name = "application"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def default_validity(self) -> timedelta:
        return timedelta(days=self.default_validity_days)


class Habilitation(models.Model):
    """One account x one application, for one or more establishments, from start to end date."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        ACTIVE = "active", _("active")
        EXPIRED = "expired", _("expirée")
        REVOKED = "revoked", _("révoquée")
        REJECTED = "rejected", _("refusée")

    LIVE_STATUSES = (Status.PENDING, Status.ACTIVE)

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="habilitations"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="habilitations"
    )
    establishments = models.ManyToManyField(
        "establishments.Establishment", related_name="habilitations", blank=True
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="habilitation_decisions",
    )
    rejection_reason = models.TextField(blank=True)  # shown to the user
    internal_comment = models.TextField(blank=True)  # agents only
    revocation_reason = models.TextField(blank=True)  # shown to the user
    reminder_sent_for = models.DateField(null=True, blank=True)  # end date the reminder was for
    # The holder asked to renew an active habilitation: it stays the one live habilitation (the
    # one-live constraint holds) and agents extend it from the queue.
    renewal_requested_at = models.DateTimeField(null=True, blank=True)
    # Where the request came from (the agents' "many requests from one address" warning).
    requested_ip = models.GenericIPAddressField(null=True, blank=True)
    # SIRETs of a sibling extranet's habilitation imported by `import_asp_accounts`: those
    # establishments usually have no APART space (no Establishment row), so the list is kept as is.
    external_sirets = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "habilitation"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gt=models.F("start_date")),
                name="habilitation_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(start_date__isnull=False, end_date__isnull=False),
                name="habilitation_active_has_dates",
            ),
            models.UniqueConstraint(
                fields=["account", "application"],
                condition=Q(status__in=["pending", "active"]),
                name="habilitation_one_live_per_account_application",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.account} / {self.application.code} ({self.get_status_display()})"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES


class HabilitationEvent(models.Model):
    """History of a habilitation's status (kept forever, append-only)."""

    habilitation = models.ForeignKey(Habilitation, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_status = models.CharField(max_length=16, blank=True)
    new_status = models.CharField(max_length=16)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.old_status or '-'} -> {self.new_status}"


class AttachmentRequest(models.Model):
    """A request to add one more establishment to an *active* habilitation.

    The guide's case 2 ("Cette même habilitation va être rattachée à ce compte établissement")
    and « DEMANDE CRÉATION DE COMPTE » while logged in: an agent decides it exactly like a first
    request (queue, decision email). Until it is approved the establishment is not among the
    habilitation's ``establishments``, so it grants nothing (no list, fiche, bank details,
    invitation, DAP or DI). A pending habilitation takes new establishments directly: the agent's
    decision on it covers all of them.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        APPROVED = "approved", _("approuvée")
        REJECTED = "rejected", _("refusée")

    habilitation = models.ForeignKey(
        Habilitation, on_delete=models.CASCADE, related_name="attachment_requests"
    )
    establishment = models.ForeignKey(
        "establishments.Establishment",
        on_delete=models.CASCADE,
        related_name="attachment_requests",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_ip = models.GenericIPAddressField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachment_decisions",
    )
    rejection_reason = models.TextField(blank=True)  # shown to the user
    internal_comment = models.TextField(blank=True)  # agents only

    class Meta:
        verbose_name = "demande de rattachement d'établissement"
        constraints = [
            models.UniqueConstraint(
                fields=["establishment"],
                condition=Q(status="pending"),
                name="attachment_one_pending_per_establishment",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"rattachement {self.establishment_id} -> {self.habilitation_id} ({self.status})"

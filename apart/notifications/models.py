"""The email outbox: one row per email, written in the transaction of the change that causes it.

A worker (``manage.py outbox_worker``) claims due rows with a lease, sends them over SMTP outside
any database transaction, then marks them sent. A worker killed between "sent" and "marked" leaves
a row whose lease expires: it is sent again (at most one duplicate), with the same Message-ID so
that receiving mail systems can recognise the copy.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What remains of a sensitive body (password, token) once the email has left the outbox.
WIPED_BODY = "[Contenu confidentiel effacé après l'envoi]"


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("refusé définitivement")

    status = models.CharField("statut", max_length=8, choices=Status.choices, default=Status.QUEUED)
    to = models.EmailField("destinataire", max_length=254)
    subject = models.CharField("objet", max_length=255)
    body_text = models.TextField("texte")
    body_html = models.TextField("HTML")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_emails",
        verbose_name="compte",
    )
    template = models.CharField("modèle", max_length=200)
    # Display name of the sender; empty = settings.APART_EMAIL_FROM_NAME.
    from_name = models.CharField("nom de l'expéditeur", max_length=100, blank=True)
    sensitive = models.BooleanField("confidentiel", default=False)
    message_id = models.CharField("Message-ID", max_length=255, unique=True)
    attempts = models.PositiveIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative", default=timezone.now)
    # Lease of the worker that claimed the row; once past, another worker may claim it again.
    claimed_until = models.DateTimeField("réservé jusqu'à", null=True, blank=True)
    last_error = models.TextField("dernière erreur", blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "courriel sortant"
        verbose_name_plural = "courriels sortants"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="queued"),
                name="outbox_due_idx",
            ),
            models.Index(
                fields=["claimed_until"],
                condition=Q(status="sending"),
                name="outbox_lease_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed"]),
                name="outbox_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="outbox_sent_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claimed_until__isnull=False),
                name="outbox_sending_has_lease",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

"""Password reset tokens (guide, chapter 3: "Le jeton envoyé par mail").

Only the SHA-256 of a token is stored; the token itself exists only in the email. A token is
usable once, for ``APART_RECOVERY_TOKEN_MINUTES``, while it is the account's newest one and while
the account's password is the one it was issued against.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class PasswordResetTokenQuerySet(models.QuerySet["PasswordResetToken"]):
    def live(self) -> "PasswordResetTokenQuerySet":
        """Neither used, nor replaced, nor expired."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True).filter(
            expires_at__gt=timezone.now()
        )


class PasswordResetToken(models.Model):
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="password_reset_tokens",
        verbose_name="compte",
    )
    token_hash = models.CharField("empreinte du jeton", max_length=64, unique=True)
    # HMAC of the account's password hash when the token was issued: any password change since
    # then (by this token or any other way) voids the token.
    password_fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField("émis le", default=timezone.now)
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)
    revoked_at = models.DateTimeField("remplacé le", null=True, blank=True)

    objects = PasswordResetTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton de réinitialisation"
        verbose_name_plural = "jetons de réinitialisation"
        ordering = ["-created_at", "-id"]
        constraints = [
            # "void once a newer one is issued": at most one unused, unreplaced token per account.
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="recovery_one_open_token_per_account",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="recovery_token_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(revoked_at__isnull=True),
                name="recovery_token_used_or_revoked_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"jeton {self.pk} de {self.account_id}"

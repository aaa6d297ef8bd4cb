""" "Mon compte": the pending email change of an account (one at a time)."""

from django.conf import settings
from django.db import models


class EmailChangeRequest(models.Model):
    """The newest email change an account asked for, waiting for its link to be followed.

    One row per account (a new request replaces the previous one, so only the newest link works);
    the link carries a random nonce of 256 bits stored here hashed; following it deletes the row
    (single use) and it expires ``expires_at``. A link of an address set and then left (X, then
    the original, then X again) names a nonce that no longer exists.
    """

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_change_request"
    )
    new_email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "changement de courriel en attente"

    def __str__(self) -> str:
        return f"{self.account_id} -> {self.new_email}"

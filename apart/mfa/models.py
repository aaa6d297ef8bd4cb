"""Second factors of an account: authenticator apps (TOTP), passkeys (WebAuthn), recovery codes.

An account may hold several of each kind, each named by its holder and dated by its last use.
Secrets are never stored readable: TOTP seeds are encrypted (apart.mfa.crypto), recovery codes
hashed with the password hasher (Argon2id); passkeys store only the public key.
"""

from django.db import models

from apart.accounts.models import Account

NAME_MAX_LENGTH = 64


class TotpDevice(models.Model):
    """An authenticator app (RFC 6238, 6 digits, 30-second steps, SHA-1 as every app supports)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="totp_devices")
    name = models.CharField("nom", max_length=NAME_MAX_LENGTH)
    encrypted_secret = models.TextField()
    # The newest 30-second step accepted: a code of this step or an older one is a replay.
    last_used_step = models.BigIntegerField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "application d'authentification"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Passkey(models.Model):
    """A WebAuthn credential: a passkey (phone, computer) or a security key."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField("nom", max_length=NAME_MAX_LENGTH)
    credential_id = models.BinaryField(max_length=1023)
    public_key = models.BinaryField()
    sign_count = models.BigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "clé d'accès"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["credential_id"], name="passkey_credential_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class RecoveryCode(models.Model):
    """One of the ten single-use recovery codes (« codes de secours »), hashed like a password."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=256)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "code de secours"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"code de secours {self.pk}"

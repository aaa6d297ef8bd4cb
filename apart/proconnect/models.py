"""ProConnect identities linked to ASP accounts, and the emailed links that prove an account."""

from django.conf import settings
from django.db import models


class ProConnectIdentity(models.Model):
    """One ProConnect identity (issuer + ``sub``) opens one account, and an account has at most
    one identity per issuer. Both are database constraints, so that two concurrent links
    cannot break them."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proconnect_identities"
    )
    issuer = models.CharField("fournisseur", max_length=255)
    subject = models.CharField("identifiant ProConnect (sub)", max_length=255)
    # The email claim when the identity was linked (shown to agents; never used to match).
    email = models.EmailField("courriel ProConnect", max_length=254, blank=True)
    linked_by = models.CharField(max_length=16)  # LinkProof
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class LinkProof(models.TextChoices):
        PASSWORD = "password", "mot de passe du compte"
        EMAIL = "email", "lien envoyé à l'adresse du compte"
        REGISTRATION = "registration", "création de l'espace"

    class Meta:
        verbose_name = "identité ProConnect"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="proconnect_sub_unique"),
            models.UniqueConstraint(
                fields=["account", "issuer"], name="proconnect_one_identity_per_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"


class ProConnectLinkToken(models.Model):
    """The emailed proof: a single-use link sent to the account's own address. Only the
    SHA-256 of the token is stored; a newer link voids the older ones of the same account."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proconnect_link_tokens"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    email = models.EmailField(max_length=254, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "lien d'association ProConnect"
        indexes = [models.Index(fields=["account", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.created_at:%Y-%m-%d %H:%M}"

"""What the user typed in "Créer mon espace", kept for the agents who process the request."""

from django.conf import settings
from django.db import models


class RegistrationRequest(models.Model):
    """A snapshot of one successful step 2 ("CRÉATION DE COMPTE D'ACCÈS À L'EXTRANET ...").

    The establishment and account rows hold the data as registered; this row keeps exactly what
    the person typed (and whether they confirmed a name that looked like a company or a title),
    so that agents instructing the habilitation request can judge it. Append-only by habit.
    """

    class Outcome(models.TextChoices):
        # Guide, case 1: no ASP account, no APART habilitation.
        NEW_ACCOUNT = "new_account", "cas 1 : nouveau compte"
        # Guide, case 2: the person already holds an active APART habilitation.
        ATTACHED_TO_ACTIVE = "attached_to_active", "cas 2 : rattaché à l'habilitation active"
        # A pending APART request exists already: the establishment joins it.
        ATTACHED_TO_PENDING = "attached_to_pending", "rattaché à la demande en attente"
        # Guide, case 3: ASP account from a sibling extranet, no live APART habilitation.
        KNOWN_ACCOUNT = "known_account", "cas 3 : compte ASP existant"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    siret = models.CharField("N° de Siret", max_length=14, db_index=True)
    # True when step 2 was prefilled from a diffusible SIRENE record (greyed fields).
    prefilled_from_sirene = models.BooleanField(default=False)

    # "Information établissement", as typed (greyed SIRENE fields hold the SIRENE values).
    denomination = models.CharField(max_length=200)
    street_number = models.CharField(max_length=10, blank=True)
    street_number_extension = models.CharField(max_length=10, blank=True)
    street_name = models.CharField(max_length=200)
    street_type = models.CharField(max_length=40, blank=True)
    address_complement = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=5)
    city = models.CharField(max_length=100)
    establishment_email = models.CharField(max_length=254)
    establishment_phone = models.CharField(max_length=32)
    fax = models.CharField(max_length=32, blank=True)

    # "Compte utilisateur à créer", as typed (the secret answer is never kept here).
    last_name = models.CharField(max_length=100)
    first_name = models.CharField(max_length=100)
    phone = models.CharField(max_length=32)
    email = models.CharField(max_length=254)
    secret_question = models.CharField(max_length=200)
    # The Nom or Prénom looked like a company or a title and the person confirmed it anyway
    # ("Merci de saisir votre état civil uniquement." then "Je confirme ...").
    name_flagged = models.BooleanField(default=False)

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registration_requests",
    )
    establishment = models.ForeignKey(
        "establishments.Establishment",
        on_delete=models.PROTECT,
        related_name="registration_requests",
    )
    habilitation = models.ForeignKey(
        "habilitations.Habilitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registration_requests",
    )

    class Meta:
        verbose_name = "demande de création d'espace"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.siret} {self.last_name} {self.first_name} ({self.get_outcome_display()})"


class SiretClaim(models.Model):
    """ "Créer mon espace" typed with the email of an existing account, waiting for its proof.

    Nothing is attached to anybody until the account's holder follows the single-use link sent
    to the account's own address (a random token of 256 bits, stored hashed) before
    ``expires_at`` and confirms (logged in as that account when it can log in). What the visitor
    typed is kept here meanwhile (never the secret answer). An unconfirmed claim reserves
    nothing: several may exist for one SIRET, the first confirmed one gets the space (one space
    per SIRET) and the others are then superseded.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "en attente de confirmation"
        CONFIRMED = "confirmed", "confirmée"
        CANCELLED = "cancelled", "annulée par le titulaire"
        SUPERSEDED = "superseded", "sans suite (un espace existe déjà)"

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="siret_claims"
    )
    siret = models.CharField("N° de Siret", max_length=14, db_index=True)
    # EstablishmentDetails and PersonDetails (without the secret answer), as typed.
    establishment_details = models.JSONField()
    person_details = models.JSONField()
    name_flagged = models.BooleanField(default=False)
    prefilled_from_sirene = models.BooleanField(default=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    registration = models.OneToOneField(
        RegistrationRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claim",
    )

    class Meta:
        verbose_name = "demande de rattachement à confirmer"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.siret} -> {self.account_id} ({self.status})"

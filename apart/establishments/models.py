"""Establishments registered in APART (one space per SIRET) and their fiche."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apart.establishments.bank import mask_iban


class Establishment(models.Model):
    """An establishment that has a space. The SIRET is unique: one space per establishment."""

    siret = models.CharField("N° de Siret", max_length=14, unique=True)
    denomination = models.CharField("dénomination de l'établissement", max_length=200)
    street_number = models.CharField("numéro de voie", max_length=10, blank=True)
    street_number_extension = models.CharField("extension de voie", max_length=10, blank=True)
    street_type = models.CharField("type de voie", max_length=40, blank=True)
    street_name = models.CharField("libellé de la voie", max_length=200)
    address_complement = models.CharField("complément d'adresse", max_length=200, blank=True)
    postal_code = models.CharField("code postal", max_length=5)
    city = models.CharField("ville", max_length=100)
    email = models.EmailField("courriel établissement", max_length=254)
    phone = models.CharField("téléphone fixe", max_length=32)
    fax = models.CharField("fax", max_length=32, blank=True)
    main_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="main_contact_of",
        verbose_name=_("contact principal"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "établissement"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(siret__regex=r"^[0-9]{14}$"),
                name="establishment_siret_14_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.denomination} ({self.siret})"

    @property
    def department(self) -> str:
        """Department code from the postal code (97x/98x overseas, 20 = Corse)."""
        code = self.postal_code
        if code.startswith(("97", "98")):
            return code[:3]
        return code[:2]


class EstablishmentFiche(models.Model):
    """The fiche établissement: what the DAP and the payment need beyond the SIRENE identity.

    One row per establishment, created on the first save (a missing row is an empty fiche).
    Empty values are allowed (a fiche is filled bit by bit); the formats of non-empty values are
    constraints. Completeness is decided by apart.establishments.completeness.
    """

    establishment = models.OneToOneField(
        Establishment, on_delete=models.CASCADE, primary_key=True, related_name="fiche"
    )
    # Contact person for the DAP and the payment.
    contact_last_name = models.CharField("nom du contact", max_length=100, blank=True)
    contact_first_name = models.CharField("prénom du contact", max_length=100, blank=True)
    contact_role = models.CharField("fonction du contact", max_length=100, blank=True)
    contact_email = models.EmailField("courriel du contact", max_length=254, blank=True)
    contact_phone = models.CharField("téléphone du contact", max_length=32, blank=True)
    # Postal address for mail (the establishment's own address when mail_same_address).
    mail_same_address = models.BooleanField("adresse de l'établissement", default=True)
    mail_recipient = models.CharField("destinataire", max_length=200, blank=True)
    mail_street = models.CharField("adresse", max_length=200, blank=True)
    mail_complement = models.CharField("complément d'adresse", max_length=200, blank=True)
    mail_postal_code = models.CharField("code postal", max_length=5, blank=True)
    mail_city = models.CharField("ville", max_length=100, blank=True)
    # Activity.
    workforce = models.PositiveIntegerField("effectif", null=True, blank=True)
    naf_code = models.CharField("code NAF", max_length=6, blank=True)
    idcc = models.CharField("convention collective (IDCC)", max_length=4, blank=True)
    # Bank details (payment of the allowance). The IBAN is stored compact, shown masked.
    iban = models.CharField("IBAN", max_length=34, blank=True)
    bic = models.CharField("BIC", max_length=11, blank=True)
    account_holder = models.CharField("titulaire du compte", max_length=100, blank=True)
    bank_details_changed_at = models.DateTimeField(null=True, blank=True)
    # The version the three fields above hold (every change is a new BankDetailsVersion row):
    # claims keep the version they were submitted and validated with, the payment uses it.
    bank_version = models.ForeignKey(
        "BankDetailsVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version des coordonnées bancaires"),
    )
    sirene_refreshed_at = models.DateTimeField(null=True, blank=True)
    # The answer of completeness.missing_items() at the last change, kept by the fiche services
    # so that lists (dashboard, 200 establishments) read one column instead of every field.
    complete = models.BooleanField("fiche complète", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "fiche établissement"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(idcc="") | models.Q(idcc__regex=r"^[0-9]{4}$"),
                name="fiche_idcc_4_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(naf_code="")
                | models.Q(naf_code__regex=r"^[0-9]{2}\.[0-9]{2}[A-Z]$"),
                name="fiche_naf_code_format",
            ),
            models.CheckConstraint(
                condition=models.Q(iban="")
                | models.Q(iban__regex=r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$"),
                name="fiche_iban_compact",
            ),
            models.CheckConstraint(
                condition=models.Q(bic="")
                | models.Q(bic__regex=r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$"),
                name="fiche_bic_format",
            ),
            models.CheckConstraint(
                condition=models.Q(mail_postal_code="")
                | models.Q(mail_postal_code__regex=r"^[0-9]{5}$"),
                name="fiche_mail_postal_code_5_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"fiche {self.establishment_id}"


class BankDetailsVersion(models.Model):
    """One version of an establishment's bank details. Never changed once written: a change of
    the bank details is a new row (who, when, from which address). The IBAN is stored compact
    and only ever shown or audited masked, except in the agents' payment export."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="bank_versions"
    )
    number = models.PositiveIntegerField("version")
    iban = models.CharField("IBAN", max_length=34)
    bic = models.CharField("BIC", max_length=11)
    account_holder = models.CharField("titulaire du compte", max_length=100)
    # Whether the holder's name matches the SIRENE denomination (tolerant comparison,
    # apart.establishments.bank.holder_matches); agents are warned when it does not.
    holder_matches_sirene = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Empty for the bank details entered before versions existed.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "version des coordonnées bancaires"
        ordering = ["establishment", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "number"], name="bank_version_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(iban__regex=r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$"),
                name="bank_version_iban_compact",
            ),
        ]
        indexes = [models.Index(fields=["iban"], name="bank_version_iban")]

    def __str__(self) -> str:
        return f"coordonnées bancaires v{self.number} de {self.establishment_id}"

    @property
    def masked_iban(self) -> str:
        return mask_iban(self.iban)


class Invitation(models.Model):
    """The main contact invites a colleague by email (single-use signed link, stored hashed)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        ACCEPTED = "accepted", _("acceptée")
        CANCELLED = "cancelled", _("annulée")

    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("courriel", max_length=254)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )

    class Meta:
        verbose_name = "invitation"
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "email"],
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_establishment_email",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="accepted") | models.Q(accepted_by__isnull=False),
                name="invitation_accepted_has_account",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation {self.email} -> {self.establishment_id} ({self.status})"

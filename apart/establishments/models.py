"""Establishments registered in APART (one space per SIRET) and their fiche."""

from django.conf import settings
from django.db import models


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
        verbose_name="contact principal",
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

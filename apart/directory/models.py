"""The SIRENE directory: a local copy of the INSEE stock files (legal units and establishments).

Rows are written only by the importer (``import_sirene``), which upserts whole batches; the
column comments name the INSEE variable each field mirrors. Free-text columns are TextField so
that an unusually long value in a national file never aborts a batch.
"""

from django.db import models

from apart.directory.labels import repetition_label, street_type_label


class AdministrativeState(models.TextChoices):
    ACTIVE = "A", "Actif"
    CLOSED = "F", "Fermé"


class DiffusionStatus(models.TextChoices):
    """statutDiffusion: O = diffusible; P = partially diffusible (since 2023), N = non
    diffusible (the older code). P and N both restrict what may be shown."""

    DIFFUSIBLE = "O", "Diffusible"
    PARTIAL = "P", "Partiellement diffusible"
    NON_DIFFUSIBLE = "N", "Non diffusible"


class LegalUnitState(models.TextChoices):
    ACTIVE = "A", "Active"
    CEASED = "C", "Cessée"


# Why a surrogate id and a UniqueConstraint rather than the SIRET/SIREN as primary key: on
# PostgreSQL Django adds a second "_like" index to every unique CharField/TextField, which would
# double the index work of a 40-million-row import for a query (LIKE 'x%') we never run.


class LegalUnit(models.Model):
    """An unité légale (StockUniteLegale): the company or the entrepreneur individuel."""

    siren = models.CharField("Siren", max_length=9)
    # Computed at import: denominationUniteLegale, or "prenom1UniteLegale nomUniteLegale" for an
    # entrepreneur individuel (who has no denominationUniteLegale).
    denomination = models.TextField("dénomination", blank=True)
    legal_name = models.TextField("denominationUniteLegale", blank=True)
    last_name = models.TextField("nomUniteLegale", blank=True)
    first_name = models.TextField("prenom1UniteLegale", blank=True)
    usage_name = models.TextField("nomUsageUniteLegale", blank=True)
    state = models.CharField(
        "etatAdministratifUniteLegale", max_length=1, choices=LegalUnitState.choices
    )
    diffusion = models.CharField(
        "statutDiffusionUniteLegale", max_length=1, choices=DiffusionStatus.choices
    )
    legal_category = models.TextField("categorieJuridiqueUniteLegale", blank=True)
    # "AAAA-MM-JJ" as INSEE writes it (text: an odd value never aborts an import batch).
    created_on = models.TextField("dateCreationUniteLegale", blank=True, default="")

    class Meta:
        verbose_name = "unité légale"
        verbose_name_plural = "unités légales"
        db_table = "directory_legal_unit"
        constraints = [
            models.UniqueConstraint(fields=["siren"], name="directory_legal_unit_unique_siren"),
        ]

    def __str__(self) -> str:
        return f"{self.denomination} ({self.siren})"


class DirectoryEstablishment(models.Model):
    """An établissement of the SIRENE stock (StockEtablissement), keyed by its SIRET."""

    siret = models.CharField("Siret", max_length=14)
    siren = models.CharField("Siren", max_length=9)
    sign = models.TextField("enseigne1Etablissement", blank=True)
    usual_name = models.TextField("denominationUsuelleEtablissement", blank=True)
    street_number = models.TextField("numeroVoieEtablissement", blank=True)
    street_number_extension = models.TextField("indiceRepetitionEtablissement", blank=True)
    street_type = models.TextField("typeVoieEtablissement (code)", blank=True)
    street_name = models.TextField("libelleVoieEtablissement", blank=True)
    address_complement = models.TextField("complementAdresseEtablissement", blank=True)
    postal_code = models.TextField("codePostalEtablissement", blank=True)
    city = models.TextField("libelleCommuneEtablissement", blank=True)
    state = models.CharField(
        "etatAdministratifEtablissement", max_length=1, choices=AdministrativeState.choices
    )
    diffusion = models.CharField(
        "statutDiffusionEtablissement", max_length=1, choices=DiffusionStatus.choices
    )
    naf_code = models.TextField("activitePrincipaleEtablissement", blank=True)
    workforce_bracket = models.TextField("trancheEffectifsEtablissement", blank=True)
    is_head_office = models.BooleanField("etablissementSiege", default=False)
    # "AAAA-MM-JJ" as INSEE writes it (text: an odd value never aborts an import batch).
    created_on = models.TextField("dateCreationEtablissement", blank=True, default="")

    class Meta:
        verbose_name = "établissement du répertoire SIRENE"
        verbose_name_plural = "établissements du répertoire SIRENE"
        db_table = "directory_establishment"
        constraints = [
            # No regex CHECK on the SIRET here (unlike establishments.Establishment): the
            # importer rejects anything but 14 ASCII digits, and the check cost about a fifth
            # of the PostgreSQL upsert time on a national file.
            models.UniqueConstraint(fields=["siret"], name="directory_establishment_unique_siret"),
        ]

    def __str__(self) -> str:
        return self.siret

    @property
    def street_type_label(self) -> str:
        return street_type_label(self.street_type)

    @property
    def street_number_extension_label(self) -> str:
        return repetition_label(self.street_number_extension)

    @property
    def active(self) -> bool:
        return self.state == AdministrativeState.ACTIVE

    @property
    def diffusible(self) -> bool:
        return self.diffusion == DiffusionStatus.DIFFUSIBLE

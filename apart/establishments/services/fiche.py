"""Changes of the fiche établissement. Each runs in one transaction and writes its audit row
(old and new values; the IBAN only ever masked)."""

import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from apart.accounts.freezing import notify_sensitive_change
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.core.errors import UserError
from apart.core.hooks import fraud_checks
from apart.directory.lookup import LookupStatus, lookup_siret
from apart.establishments.bank import holder_matches, mask_iban
from apart.establishments.completeness import missing_items
from apart.establishments.models import BankDetailsVersion, Establishment, EstablishmentFiche
from apart.establishments.selectors import members_of

# Fields of the fiche's main form (the bank details have their own form and service).
FICHE_FIELDS = (
    "contact_last_name",
    "contact_first_name",
    "contact_role",
    "contact_email",
    "contact_phone",
    "mail_same_address",
    "mail_recipient",
    "mail_street",
    "mail_complement",
    "mail_postal_code",
    "mail_city",
    "workforce",
    "naf_code",
    "idcc",
)
NAF_FORMAT = re.compile(r"^[0-9]{2}\.[0-9]{2}[A-Z]$")  # NAF rév. 2, e.g. 10.71C
BANK_FIELDS = ("iban", "bic", "account_holder")
SIRENE_FIELDS = (
    "denomination",
    "street_number",
    "street_number_extension",
    "street_type",
    "street_name",
    "address_complement",
    "postal_code",
    "city",
)


class FicheError(UserError):
    """A change of the fiche or of its bank details refused."""


def _locked_fiche(establishment: Establishment) -> EstablishmentFiche:
    """The fiche row, created if needed, locked until the transaction ends."""
    EstablishmentFiche.objects.get_or_create(establishment=establishment)
    return EstablishmentFiche.objects.select_for_update().get(establishment=establishment)


def _with_completeness(establishment: Establishment, fiche: EstablishmentFiche) -> None:
    """Set ``fiche.complete`` from the rules (the caller saves the fiche)."""
    establishment.fiche = fiche
    fiche.complete = not missing_items(establishment)


def recompute_completeness(*, establishment: Establishment) -> bool:
    """Store the fiche's completeness again (after a change made outside these services, or a
    change of the rules); creates the fiche row if needed. Returns the answer."""
    with transaction.atomic():
        fiche = _locked_fiche(establishment)
        _with_completeness(establishment, fiche)
        fiche.save(update_fields=["complete", "updated_at"])
    return fiche.complete


def _diff(obj: Any, values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    old, new = {}, {}
    for name, value in values.items():
        if getattr(obj, name) != value:
            old[name], new[name] = getattr(obj, name), value
    return old, new


def update_fiche(
    *,
    establishment: Establishment,
    values: Mapping[str, Any],
    actor: Any,
    audit: AuditContext = SYSTEM,
) -> list[str]:
    """Save the fiche's contact, mail address and activity fields; the changed field names."""
    unknown = set(values) - set(FICHE_FIELDS)
    if unknown:
        raise ValueError(f"not fiche fields: {sorted(unknown)}")
    with transaction.atomic():
        fiche = _locked_fiche(establishment)
        old, new = _diff(fiche, values)
        if not new:
            return []
        for name, value in new.items():
            setattr(fiche, name, value)
        _with_completeness(establishment, fiche)
        fiche.save()
        record_event(
            action=AuditAction.ESTABLISHMENT_FICHE_UPDATED,
            actor=actor,
            account=actor,
            target=establishment,
            old=old,
            new=new,
            context=audit,
        )
    return sorted(new)


def _bank_snapshot(*, iban: str, bic: str, account_holder: str) -> dict[str, str]:
    return {"iban": mask_iban(iban), "bic": bic, "account_holder": account_holder}


ONLY_MAIN_CONTACT_BANK = (
    "Seul le contact principal de l'établissement peut modifier les coordonnées bancaires."
)
RECENT_AUTH_NEEDED = (
    "Pour modifier les coordonnées bancaires, confirmez d'abord votre mot de passe."
)


def _new_version(
    *,
    establishment: Establishment,
    iban: str,
    bic: str,
    account_holder: str,
    actor: Any,
    audit: AuditContext,
) -> BankDetailsVersion:
    last = (
        BankDetailsVersion.objects.filter(establishment=establishment)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return BankDetailsVersion.objects.create(
        establishment=establishment,
        number=(last or 0) + 1,
        iban=iban,
        bic=bic,
        account_holder=account_holder,
        holder_matches_sirene=holder_matches(
            holder=account_holder, denomination=establishment.denomination
        ),
        created_by=actor if getattr(actor, "pk", None) else None,
        ip_address=audit.ip_address,
    )


def current_bank_version(*, establishment: Establishment) -> BankDetailsVersion | None:
    """The version of the bank details the fiche holds now, locking the fiche until the
    transaction ends (call it inside one). Bank details saved before versions existed get
    their first version here, without an author."""
    fiche = _locked_fiche(establishment)
    if fiche.bank_version_id is not None:
        return fiche.bank_version
    if not fiche.iban:
        return None
    version = _new_version(
        establishment=establishment,
        iban=fiche.iban,
        bic=fiche.bic,
        account_holder=fiche.account_holder,
        actor=None,
        audit=SYSTEM,
    )
    fiche.bank_version = version
    fiche.save(update_fields=["bank_version", "updated_at"])
    return version


def change_bank_details(
    *,
    establishment: Establishment,
    iban: str,
    bic: str,
    account_holder: str,
    actor: Any,
    recently_authenticated: bool,
    audit: AuditContext = SYSTEM,
) -> bool:
    """Replace the bank details (already checked: compact IBAN and BIC) by a new version. Only
    the establishment's main contact may, with the proof of a recent authentication
    (apart.accounts.reauth); every member, the establishment's email and the fiche's contact
    are told by email with a « Ce n'était pas moi ? » link that freezes the main contact's
    account (apart.accounts.freezing); the audit row holds the old and new IBAN masked and the
    version numbers. Returns False when nothing changed.

    Claims validated on the previous version are not paid on this one: their payment waits
    until an agent confirms the new bank details (apart.claims)."""
    if establishment.main_contact_id != getattr(actor, "pk", None):
        raise FicheError(ONLY_MAIN_CONTACT_BANK)
    if not recently_authenticated:
        raise FicheError(RECENT_AUTH_NEEDED)
    with transaction.atomic():
        previous = current_bank_version(establishment=establishment)
        fiche = _locked_fiche(establishment)
        before = _bank_snapshot(iban=fiche.iban, bic=fiche.bic, account_holder=fiche.account_holder)
        if (fiche.iban, fiche.bic, fiche.account_holder) == (iban, bic, account_holder):
            return False
        version = _new_version(
            establishment=establishment,
            iban=iban,
            bic=bic,
            account_holder=account_holder,
            actor=actor,
            audit=audit,
        )
        fiche.iban, fiche.bic, fiche.account_holder = iban, bic, account_holder
        fiche.bank_version = version
        fiche.bank_details_changed_at = version.created_at
        _with_completeness(establishment, fiche)
        fiche.save()
        after = _bank_snapshot(iban=iban, bic=bic, account_holder=account_holder)
        record_event(
            action=AuditAction.ESTABLISHMENT_BANK_DETAILS_CHANGED,
            actor=actor,
            account=actor,
            target=establishment,
            old={**before, "version": previous.number if previous else None},
            new={
                **after,
                "version": version.number,
                "holder_matches_sirene": version.holder_matches_sirene,
            },
            context=audit,
        )
        _tell_bank_change(
            establishment=establishment, fiche=fiche, actor=actor, after=after, audit=audit
        )
        # The fraud signals of the open requests of this establishment, and of those of the
        # establishments sharing this IBAN, are computed again (apart.fraud).
        fraud_checks().assess_establishment(
            establishment=establishment, ibans=(previous.iban if previous else "", iban)
        )
    return True


def _tell_bank_change(
    *,
    establishment: Establishment,
    fiche: EstablishmentFiche,
    actor: Any,
    after: dict[str, str],
    audit: AuditContext,
) -> None:
    """Every member, the establishment's email and the fiche's contact, once each, with a
    « Ce n'était pas moi ? » link: it freezes the account that made the change."""
    recipients = [member.email for member in members_of(establishment)]
    recipients += [establishment.main_contact.email, establishment.email, fiche.contact_email]
    notify_sensitive_change(
        account=actor,
        change=(
            f"la modification des coordonnées bancaires de l'établissement "
            f"{establishment.denomination} (Siret {establishment.siret}), nouvel IBAN "
            f"{after['iban']}"
        ),
        recipients=recipients,
        audit=audit,
        actor=actor,
    )


def refresh_from_sirene(
    *, establishment: Establishment, actor: Any, audit: AuditContext = SYSTEM
) -> list[str]:
    """ "Actualiser depuis SIRENE": the identity (denomination, address) and the NAF code are
    read again from the directory; the changed field names. FicheError when SIRENE cannot
    answer for this establishment (unknown, non-diffusible) — a closed establishment is still
    refreshed, the person is told it is closed by the caller."""
    result = lookup_siret(establishment.siret)
    found = result.establishment
    if result.status == LookupStatus.UNAVAILABLE:
        raise FicheError(
            gettext(
                "Le répertoire SIRENE ne peut pas être consulté pour le moment. Veuillez réessayer "
                "dans quelques minutes."
            )
        )
    if result.status == LookupStatus.UNKNOWN or found is None:
        raise FicheError(gettext("Cet établissement est introuvable dans le répertoire SIRENE."))
    if result.status == LookupStatus.NON_DIFFUSIBLE:
        raise FicheError(
            gettext(
                "Cet établissement n'est pas diffusible dans le répertoire SIRENE : son identité "
                "ne peut pas être actualisée automatiquement."
            )
        )
    identity = {name: getattr(found, name) for name in SIRENE_FIELDS}
    identity = {
        name: value
        for name, value in identity.items()
        if value or name not in ("denomination", "street_name", "postal_code", "city")
    }
    with transaction.atomic():
        current = Establishment.objects.select_for_update().get(pk=establishment.pk)
        fiche = _locked_fiche(current)
        old, new = _diff(current, identity)
        for name, value in new.items():
            setattr(current, name, value)
        if new:
            current.save()
        if NAF_FORMAT.match(found.naf_code) and found.naf_code != fiche.naf_code:
            old["naf_code"], new["naf_code"] = fiche.naf_code, found.naf_code
            fiche.naf_code = found.naf_code
        fiche.sirene_refreshed_at = timezone.now()
        _with_completeness(current, fiche)
        fiche.save()
        record_event(
            action=AuditAction.ESTABLISHMENT_SIRENE_REFRESHED,
            actor=actor,
            account=actor,
            target=current,
            old=old,
            new={**new, "status": str(result.status)},
            context=audit,
        )
    return sorted(new)

"""Colleagues of an establishment: removal of a colleague, hand-over of the main-contact role."""

from django.db import transaction
from django.utils.translation import gettext

from apart.accounts.freezing import notify_sensitive_change
from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.establishments.models import Establishment
from apart.establishments.selectors import is_member
from apart.establishments.services.rules import (
    MembershipError,
    require_main_contact,
)
from apart.habilitations.selectors import live_habilitation
from apart.notifications.services import queue_email

MAIN_CONTACT_CHANGE = (
    "la désignation de {person} comme contact principal de l'établissement {name} "
    "(N° de Siret {siret})"
)


# -- Colleagues and the main contact ---------------------------------------------------------
def remove_colleague(
    *,
    establishment: Establishment,
    colleague: Account,
    actor: Account,
    audit: AuditContext = SYSTEM,
) -> None:
    """The main contact takes the establishment off a colleague's habilitation. The main
    contact cannot remove themself: they hand the role over first."""
    with transaction.atomic():
        current = Establishment.objects.select_for_update().get(pk=establishment.pk)
        require_main_contact(current, actor)
        if colleague.pk == current.main_contact_id:
            raise MembershipError(
                gettext(
                    "Le contact principal ne peut pas être retiré : transmettez d'abord ce rôle à "
                    "un collègue."
                )
            )
        habilitation = live_habilitation(account=colleague)
        if habilitation is None or not habilitation.establishments.filter(pk=current.pk).exists():
            raise MembershipError(gettext("Cette personne n'a pas accès à cet établissement."))
        habilitation.establishments.remove(current)
        record_event(
            action=AuditAction.ESTABLISHMENT_COLLEAGUE_REMOVED,
            actor=actor,
            account=colleague,
            target=current,
            old={"login": colleague.login, "habilitation": habilitation.pk},
            context=audit,
        )


def hand_over_main_contact(
    *,
    establishment: Establishment,
    new_main_contact: Account,
    actor: Account,
    audit: AuditContext = SYSTEM,
) -> None:
    """The main contact gives the role to a colleague who already has access (exactly one main
    contact per establishment: a non-null foreign key, changed under a row lock)."""
    with transaction.atomic():
        current = Establishment.objects.select_for_update().get(pk=establishment.pk)
        require_main_contact(current, actor)
        if new_main_contact.pk == current.main_contact_id:
            return
        if not is_member(new_main_contact, current):
            raise MembershipError(gettext("Cette personne n'a pas accès à cet établissement."))
        old_login = actor.login
        current.main_contact = new_main_contact
        current.save(update_fields=["main_contact", "updated_at"])
        record_event(
            action=AuditAction.ESTABLISHMENT_MAIN_CONTACT_CHANGED,
            actor=actor,
            account=new_main_contact,
            target=current,
            old={"main_contact": old_login},
            new={"main_contact": new_main_contact.login},
            context=audit,
        )
        queue_email(
            to=new_main_contact.email,
            template="establishments/emails/main_contact",
            context={
                "denomination": current.denomination,
                "siret": current.siret,
                "previous": actor.full_name,
            },
            account=new_main_contact,
        )
        notify_sensitive_change(
            account=actor,
            change=MAIN_CONTACT_CHANGE.format(
                person=new_main_contact.full_name, name=current.denomination, siret=current.siret
            ),
            recipients=[actor.email],
            audit=audit,
        )

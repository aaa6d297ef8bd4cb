"""Everything held on one person, as one JSON-ready dict (right of access, RGPD art. 15).

Secrets are never exported, not even hashed: password, secret answer, reset and invitation
tokens. Email bodies are left out (they are rebuilt from the data below, and the sensitive ones
are wiped once sent); their subject, status and dates are listed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from apart.establishments.models import Establishment, Invitation
from apart.habilitations.models import Habilitation
from apart.notifications.models import OutboundEmail
from apart.proconnect.models import ProConnectIdentity
from apart.registration.models import RegistrationRequest

ACCOUNT_FIELDS = [
    "login",
    "last_name",
    "first_name",
    "email",
    "phone",
    "role",
    "secret_question",
    "is_active",
    "must_change_password",
    "created_at",
    "updated_at",
    "last_login",
    "last_login_ip",
    "password_changed_at",
]
REQUEST_FIELDS = [
    "created_at",
    "ip_address",
    "outcome",
    "siret",
    "denomination",
    "establishment_email",
    "establishment_phone",
    "last_name",
    "first_name",
    "phone",
    "email",
    "secret_question",
    "name_flagged",
]


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _row(instance: Any, fields: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(instance, name)) for name in fields}


def personal_data_of(account: Account) -> dict[str, Any]:
    habilitations = Habilitation.objects.filter(account=account).select_related("application")
    establishments = Establishment.objects.filter(
        Q(main_contact=account) | Q(habilitations__account=account)
    ).distinct()
    return {
        "compte": _row(account, ACCOUNT_FIELDS),
        "habilitations": [
            {
                "application": h.application.code,
                "statut": h.status,
                "debut": _plain(h.start_date),
                "fin": _plain(h.end_date),
                "demandee_le": _plain(h.requested_at),
                "decidee_le": _plain(h.decided_at),
                "motif_refus": h.rejection_reason,
                "motif_revocation": h.revocation_reason,
                "adresse_ip_de_la_demande": h.requested_ip,
                "siret": sorted(e.siret for e in h.establishments.all()) + h.external_sirets,
                "historique": [
                    {
                        "date": _plain(e.created_at),
                        "ancien_statut": e.old_status,
                        "nouveau_statut": e.new_status,
                        "motif": e.reason,
                    }
                    for e in h.events.all()
                ],
            }
            for h in habilitations
        ],
        "etablissements": [
            {
                "siret": e.siret,
                "denomination": e.denomination,
                "contact_principal": e.main_contact_id == account.pk,
            }
            for e in establishments
        ],
        "identites_proconnect": [
            {
                "fournisseur": i.issuer,
                "identifiant": i.subject,
                "courriel": i.email,
                "preuve": i.linked_by,
                "associee_le": _plain(i.created_at),
                "derniere_connexion": _plain(i.last_login_at),
            }
            for i in ProConnectIdentity.objects.filter(account=account)
        ],
        "demandes_de_creation_d_espace": [
            _row(r, REQUEST_FIELDS) for r in RegistrationRequest.objects.filter(account=account)
        ],
        "invitations": [
            {
                "courriel": i.email,
                "siret": i.establishment.siret,
                "statut": i.status,
                "creee_le": _plain(i.created_at),
                "envoyee_par_vous": i.invited_by_id == account.pk,
            }
            for i in Invitation.objects.filter(
                Q(invited_by=account) | Q(accepted_by=account) | Q(email=account.email)
            ).select_related("establishment")
        ],
        "courriels": [
            {
                "destinataire": m.to,
                "objet": m.subject,
                "statut": m.status,
                "cree_le": _plain(m.created_at),
                "envoye_le": _plain(m.sent_at),
            }
            for m in OutboundEmail.objects.filter(Q(account=account) | Q(to=account.email))
        ],
        "journal": [
            {
                "date": _plain(e.created_at),
                "action": e.action,
                "resultat": e.outcome,
                "par_vous": e.actor_id == account.pk,
                "adresse_ip": e.ip_address,
                "navigateur": e.user_agent,
                "avant": e.old_values,
                "apres": e.new_values,
            }
            for e in AuditEvent.objects.filter(Q(account=account) | Q(actor=account))
        ],
    }

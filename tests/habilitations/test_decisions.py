import datetime

import pytest
from django.test import override_settings

from apart.audit.models import AuditEvent
from apart.core.errors import AlreadyDecided
from apart.habilitations.dates import paris_today
from apart.habilitations.models import Habilitation
from apart.habilitations.services import (
    HabilitationError,
    approve_habilitation,
    approve_habilitations,
    extend_habilitation,
    reject_habilitation,
    revoke_habilitation,
)
from apart.notifications.models import OutboundEmail
from tests.habilitations.factories import make_agent, make_habilitation

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_approval_by_default_starts_today_for_one_year():
    habilitation = make_habilitation()
    agent = make_agent()

    approved = approve_habilitation(habilitation=habilitation, actor=agent)

    today = paris_today()
    assert approved.status == Habilitation.Status.ACTIVE
    assert approved.start_date == today
    assert approved.end_date == today + datetime.timedelta(days=365)
    assert approved.decided_by == agent


def test_approval_with_chosen_dates_keeps_them():
    habilitation = make_habilitation()
    start = paris_today() + 3 * DAY

    approved = approve_habilitation(
        habilitation=habilitation, actor=make_agent(), start_date=start, end_date=start + 90 * DAY
    )

    assert (approved.start_date, approved.end_date) == (start, start + 90 * DAY)


def test_approval_with_an_end_before_the_start_is_refused():
    habilitation = make_habilitation()
    start = paris_today()

    with pytest.raises(HabilitationError, match="postérieure à la date de début"):
        approve_habilitation(
            habilitation=habilitation, actor=make_agent(), start_date=start, end_date=start
        )

    habilitation.refresh_from_db()
    assert habilitation.status == Habilitation.Status.PENDING


def test_approval_is_recorded_in_history_and_audit():
    habilitation = make_habilitation()
    agent = make_agent()

    approve_habilitation(habilitation=habilitation, actor=agent)

    event = habilitation.events.get()
    assert (event.old_status, event.new_status, event.actor) == ("pending", "active", agent)
    audit = AuditEvent.objects.get(action="habilitation.approved")
    assert audit.actor == agent
    assert audit.account == habilitation.account
    assert audit.old_values["status"] == "pending"
    assert audit.new_values["status"] == "active"


@override_settings(
    APART_ASSISTANCE_HOURS="08h00 à 18h00",
    APART_ASSISTANCE_PHONE="0800.705.800",
    APART_DAP_DEADLINE_DAYS=30,
    APART_CLAIM_DEADLINE_MONTHS=6,
    APART_PUBLIC_URL="https://activitepartielle.emploi.gouv.fr/aparts",
)
def test_approval_queues_the_guides_habilitation_email():
    habilitation = make_habilitation()
    start = datetime.date(2099, 4, 1)

    approve_habilitation(habilitation=habilitation, actor=make_agent(), start_date=start)

    email = OutboundEmail.objects.get(account=habilitation.account)
    assert email.to == habilitation.account.email
    assert email.subject == "Habilitation à l'activité partielle"
    body = " ".join(email.body_text.split())
    assert (
        "vous avez dernièrement reçu vos identifiants et mot de passe de connexion à "
        "l'application de gestion de l'Activité Partielle "
        "(https://activitepartielle.emploi.gouv.fr/aparts/)"
    ) in body
    assert "Service Civique, Sylaé, Entreprises Adaptées" in body
    assert (
        "Nous vous informons que votre habilitation est activée et que vous pourrez vous "
        "connecter à compter du 01/04/2099"
    ) in body
    assert '"Besoin d\'aide ?"' in body
    assert "de 08h00 à 18h00 au 0800.705.800 (n° Vert : services et appels gratuits)" in body
    assert "un délai de 30 jours à compter de la mise en activité partielle" in body
    assert "un délai de 6 mois à compter de la fin de la période" in body
    assert "Cet e-mail a été généré automatiquement. Merci de ne pas y répondre." in body


@override_settings(APART_CLAIM_DEADLINE_MONTHS=12)
def test_the_claim_deadline_in_the_email_follows_the_setting():
    habilitation = make_habilitation()

    approve_habilitation(habilitation=habilitation, actor=make_agent())

    assert "un délai de 12 mois" in OutboundEmail.objects.get().body_text


def test_rejection_keeps_the_reason_and_the_internal_comment_apart():
    habilitation = make_habilitation()

    rejected = reject_habilitation(
        habilitation=habilitation,
        actor=make_agent(),
        reason="Le SIRET ne correspond pas à l'établissement.",
        internal_comment="Appel au standard : inconnu.",
    )

    assert rejected.status == Habilitation.Status.REJECTED
    assert rejected.rejection_reason == "Le SIRET ne correspond pas à l'établissement."
    assert rejected.internal_comment == "Appel au standard : inconnu."
    assert habilitation.events.get().new_status == "rejected"


def test_rejection_emails_the_reason_but_never_the_internal_comment():
    habilitation = make_habilitation()

    reject_habilitation(
        habilitation=habilitation,
        actor=make_agent(),
        reason="Le SIRET ne correspond pas.",
        internal_comment="Numéro de téléphone suspect.",
    )

    email = OutboundEmail.objects.get(account=habilitation.account)
    assert "Motif : Le SIRET ne correspond pas." in email.body_text
    assert "suspect" not in email.body_text
    assert "suspect" not in email.body_html


def test_rejection_without_a_reason_is_refused():
    with pytest.raises(HabilitationError, match="motif du refus"):
        reject_habilitation(habilitation=make_habilitation(), actor=make_agent(), reason="  ")


def test_a_decided_request_cannot_be_decided_again():
    habilitation = make_habilitation()
    approve_habilitation(habilitation=habilitation, actor=make_agent())

    with pytest.raises(AlreadyDecided) as refused:
        reject_habilitation(habilitation=habilitation, actor=make_agent(), reason="Doublon")

    assert refused.value.message == "Cette demande a déjà été traitée par un autre agent."
    habilitation.refresh_from_db()
    assert habilitation.status == Habilitation.Status.ACTIVE
    assert OutboundEmail.objects.count() == 1


def test_bulk_approval_reports_how_many_succeeded():
    pending = [make_habilitation() for _ in range(3)]
    decided = make_habilitation()
    reject_habilitation(habilitation=decided, actor=make_agent(), reason="Doublon")

    outcome = approve_habilitations(
        habilitation_ids=[h.pk for h in [*pending, decided]], actor=make_agent()
    )

    assert outcome.approved == 3
    assert outcome.refused == [(decided.pk, "Cette demande a déjà été traitée par un autre agent.")]
    assert Habilitation.objects.filter(status="active").count() == 3


def test_extension_moves_the_end_date_and_rearms_the_reminder():
    habilitation = make_habilitation(status="active", start=paris_today() - 300 * DAY)
    habilitation.reminder_sent_for = habilitation.end_date
    habilitation.save()
    new_end = habilitation.end_date + 365 * DAY

    extended = extend_habilitation(
        habilitation=habilitation, actor=make_agent(), end_date=new_end, reason="Renouvellement"
    )

    assert extended.end_date == new_end
    assert extended.reminder_sent_for != extended.end_date
    assert AuditEvent.objects.get(action="habilitation.extended").reason == "Renouvellement"
    assert "valable jusqu'au" in OutboundEmail.objects.get().body_text


def test_revocation_ends_the_habilitation_and_tells_the_holder_why():
    habilitation = make_habilitation(status="active", start=paris_today())

    revoked = revoke_habilitation(
        habilitation=habilitation, actor=make_agent(), reason="Départ de l'entreprise"
    )

    assert revoked.status == Habilitation.Status.REVOKED
    assert "Motif : Départ de l'entreprise" in OutboundEmail.objects.get().body_text
    assert AuditEvent.objects.get(action="habilitation.revoked").reason == (
        "Départ de l'entreprise"
    )


def test_a_pending_request_cannot_be_revoked():
    with pytest.raises(AlreadyDecided):
        revoke_habilitation(habilitation=make_habilitation(), actor=make_agent(), reason="x")

"""The login gate of APART: "vous ne pourrez vous connecter que lorsque vous aurez reçu un mail
vous informant de la création de votre habilitation" and "à compter du (date)".

Registered in settings.APART_LOGIN_CHECKS: the login flow calls ``login_refusal`` once the
password is verified and refuses the login with the message it returns.
"""

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from apart.accounts.models import Account
from apart.habilitations.dates import french_date, paris_today
from apart.habilitations.models import Habilitation
from apart.habilitations.selectors import latest_habilitation, live_habilitation

# Marked for translation; ``login_refusal`` returns them translated (the login shows them).
PENDING = gettext_noop(
    "Votre demande d'habilitation est en cours de traitement. Vous pourrez vous connecter lorsque "
    "vous aurez reçu le courriel vous informant de la création de votre habilitation."
)
NOT_YET = gettext_noop(
    "Votre habilitation est activée : vous pourrez vous connecter à compter du {date}."
)
EXPIRED = gettext_noop(
    "Votre habilitation a expiré le {date}. Pour la renouveler, sélectionnez « CRÉER MON ESPACE » "
    "et saisissez le N° de Siret de votre établissement."
)
REVOKED = gettext_noop(
    "Votre habilitation à l'Activité Partielle a été révoquée. Pour toute question, l'assistance "
    "téléphonique est à votre disposition de {hours} au {phone}."
)
REJECTED = gettext_noop(
    "Votre demande d'habilitation à l'Activité Partielle a été refusée. Pour présenter une "
    "nouvelle demande, sélectionnez « CRÉER MON ESPACE » et saisissez le N° de Siret de votre "
    "établissement."
)
NONE = gettext_noop(
    "Vous n'avez pas d'habilitation à l'Activité Partielle. Pour en demander une, sélectionnez "
    "« CRÉER MON ESPACE » et saisissez le N° de Siret de votre établissement."
)


def login_refusal(account: Account) -> str | None:
    """None if the account may log in to APART today (Europe/Paris), else the French reason.

    Agents (instructeur, assistance, administrateur) are not subject to habilitations.
    """
    if account.is_agent:
        return None
    habilitation = live_habilitation(account=account) or latest_habilitation(account=account)
    if habilitation is None:
        return gettext(NONE)
    today = paris_today()
    status = habilitation.status
    if status == Habilitation.Status.PENDING:
        return gettext(PENDING)
    if status == Habilitation.Status.ACTIVE:
        assert habilitation.start_date and habilitation.end_date  # noqa: S101 (DB constraint)
        if today < habilitation.start_date:
            return gettext(NOT_YET).format(date=french_date(habilitation.start_date))
        if today >= habilitation.end_date:  # the lifecycle command has not run yet
            return gettext(EXPIRED).format(date=french_date(habilitation.end_date))
        return None
    if status == Habilitation.Status.EXPIRED:
        end = habilitation.end_date
        return gettext(EXPIRED).format(date=french_date(end) if end else "")
    if status == Habilitation.Status.REVOKED:
        return gettext(REVOKED).format(
            hours=settings.APART_ASSISTANCE_HOURS, phone=settings.APART_ASSISTANCE_PHONE
        )
    return gettext(REJECTED)

"""Messages of "Créer mon espace", in the guide's words where the guide gives them."""

from django.utils.translation import gettext, gettext_noop

STEP1_TITLE = gettext_noop("Veuillez indiquer votre numéro de Siret")
STEP2_TITLE = gettext_noop("CRÉATION DE COMPTE D'ACCÈS À L'EXTRANET ACTIVITÉ PARTIELLE")

REQUEST_SENT = gettext_noop(
    "Votre demande de création de compte a bien été transmise, un courriel vous sera "
    "prochainement envoyé, lorsque votre demande aura été traitée."
)
STEP1_MISSING = gettext_noop(
    "Veuillez d'abord indiquer le numéro de Siret de l'établissement pour lequel vous demandez "
    "une création de compte."
)
STEP1_EXPIRED = gettext_noop(
    "Le délai de saisie est dépassé. Veuillez indiquer à nouveau le numéro de Siret de "
    "l'établissement."
)


def already_habilitated(*, last_name: str, first_name: str) -> str:
    """The guide's case 2 message ("l'utilisateur <Nom> <Prénom> a déjà une habilitation...")."""
    return gettext(
        "Pour information : l'utilisateur {last_name} {first_name} a déjà une habilitation sur "
        "l'extranet Activité Partielle, pour un autre établissement que le vôtre. Cette même "
        "habilitation va être rattachée à ce compte établissement."
    ).format(last_name=last_name, first_name=first_name)


AGENT_EMAIL = gettext_noop(
    "Cette adresse de courriel est réservée aux agents de l'ASP : elle ne peut pas être "
    "utilisée pour un espace employeur. Saisissez votre adresse de courriel professionnelle."
)
CLAIM_INVALID = gettext_noop(
    "Ce lien n'est plus valable (déjà utilisé, annulé ou expiré). Si vous souhaitez rattacher "
    "cet établissement, sélectionnez à nouveau « CRÉER MON ESPACE »."
)
CLAIM_OTHER_ACCOUNT = gettext_noop(
    "Ce lien a été envoyé au titulaire d'un autre compte que celui avec lequel vous êtes "
    "connecté. Déconnectez-vous, puis suivez à nouveau le lien et connectez-vous avec "
    "l'identifiant du compte qui a reçu le courriel."
)
CLAIM_CANCELLED = gettext_noop(
    "La demande a été annulée : aucun établissement n'a été rattaché à votre compte."
)
ATTACHMENT_PENDING = gettext_noop(
    "Le rattachement sera effectif lorsqu'un agent l'aura validé ; un courriel vous informera "
    "de sa décision. D'ici là, l'établissement apparaît « en attente de validation »."
)


def too_many_attempts(retry_at: str) -> str:
    return gettext(
        "Trop de demandes ont été envoyées depuis votre connexion. Pour protéger le service, "
        "veuillez réessayer après {retry_at}."
    ).format(retry_at=retry_at)

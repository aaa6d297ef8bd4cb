"""The French messages of the ProConnect sign-in (shown on the login page), marked for translation:
readers call ``gettext`` on them when shown."""

from django.utils.translation import gettext_noop

FAILED = gettext_noop(
    "La connexion avec ProConnect n'a pas pu aboutir. Réessayez, ou connectez-vous avec votre "
    "identifiant et votre mot de passe."
)
UNAVAILABLE = gettext_noop(
    "ProConnect ne répond pas pour le moment. Réessayez dans quelques minutes, ou "
    "connectez-vous avec votre identifiant et votre mot de passe."
)
CANCELLED = gettext_noop(
    "La connexion avec ProConnect a été annulée. Vous pouvez réessayer, ou vous connecter avec "
    "votre identifiant et votre mot de passe."
)
EXPIRED_ATTEMPT = gettext_noop(
    "Cette tentative de connexion avec ProConnect a expiré ou a déjà été utilisée. Cliquez à "
    "nouveau sur « S'identifier avec ProConnect »."
)
ACR_TOO_LOW = gettext_noop(
    "Le niveau de sécurité de votre connexion ProConnect est insuffisant pour accéder à "
    "l'extranet Activité Partielle. Connectez-vous avec une méthode plus sûre auprès de "
    "ProConnect (par exemple avec une double authentification), ou avec votre identifiant et "
    "votre mot de passe."
)
ALREADY_LINKED = gettext_noop(
    "Cette identité ProConnect est déjà associée à un autre compte. Connectez-vous avec votre "
    "identifiant et votre mot de passe, ou contactez l'assistance téléphonique."
)
ACCOUNT_ALREADY_LINKED = gettext_noop(
    "Votre compte est déjà associé à une autre identité ProConnect. Connectez-vous avec celle-ci, "
    "ou avec votre identifiant et votre mot de passe."
)
AGENT_DOMAIN_REFUSED = gettext_noop(
    "Cette adresse de courriel ne permet pas à un agent de se connecter avec ProConnect. "
    "Connectez-vous avec votre identifiant et votre mot de passe."
)
ACCOUNT_DISABLED = gettext_noop(
    "Ce compte ne peut pas se connecter. Pour toute question, l'assistance téléphonique est à "
    "votre disposition de {hours} au {phone}."
)
LINK_SESSION_EXPIRED = gettext_noop(
    "Votre identification ProConnect a expiré. Cliquez à nouveau sur « S'identifier avec "
    "ProConnect »."
)
LINKED = gettext_noop("Votre identité ProConnect est désormais associée à votre compte {login}.")
LINK_EMAIL_SENT = gettext_noop(
    "Si un compte utilise l'adresse {email}, un courriel contenant un lien de confirmation vient "
    "de lui être envoyé. Le lien est valable {minutes} minutes."
)
LINK_INVALID = gettext_noop(
    "Ce lien n'est plus valable (expiré, déjà utilisé ou remplacé par un plus récent). "
    "Identifiez-vous à nouveau avec ProConnect pour en recevoir un autre."
)
LINK_CONFIRMED = gettext_noop(
    "Votre identité ProConnect est associée à votre compte {login}. Vous pouvez désormais "
    "cliquer sur « S'identifier avec ProConnect »."
)
NO_SIRET = gettext_noop(
    "Aucun compte de l'extranet Activité Partielle n'est associé à cette identité ProConnect, et "
    "ProConnect ne nous a pas transmis de numéro de Siret. Connectez-vous une première fois avec "
    "votre identifiant et votre mot de passe, ou sélectionnez « CRÉER MON ESPACE »."
)
REGISTRATION_PREFILLED = gettext_noop(
    "Vos informations ProConnect ont été reprises : vérifiez-les et complétez le formulaire. "
    "Aucun mot de passe ne vous sera envoyé : vous vous connecterez avec ProConnect."
)

from django.urls import path

from apart.mfa.views import manage, reauth, verify

app_name = "mfa"

urlpatterns = [
    path("connexion/verification/", verify.verify, name="verify"),
    path(
        "connexion/verification/cle-d-acces/",
        verify.verify_passkey_options,
        name="verify_passkey_options",
    ),
    path("confirmer-mon-identite/double-authentification/", reauth.reauth_verify, name="reauth"),
    path(
        "confirmer-mon-identite/double-authentification/cle-d-acces/",
        reauth.reauth_passkey_options,
        name="reauth_passkey_options",
    ),
    path("double-authentification/", manage.manage, name="manage"),
    path("double-authentification/application/", manage.add_totp, name="add_totp"),
    path(
        "double-authentification/cle-d-acces/options/",
        manage.passkey_options,
        name="passkey_options",
    ),
    path("double-authentification/cle-d-acces/", manage.add_passkey, name="add_passkey"),
    path("double-authentification/<str:kind>/<int:pk>/supprimer/", manage.remove, name="remove"),
    path(
        "double-authentification/codes-de-secours/",
        manage.regenerate_codes,
        name="regenerate_codes",
    ),
]

from django.urls import path

from apart.backoffice.views import audit, helpdesk, home, instruction

app_name = "backoffice"

urlpatterns = [
    path("", home.home, name="home"),
    path("demandes/", instruction.queue, name="queue"),
    path("demandes/approuver/", instruction.bulk_approve, name="bulk_approve"),
    path("demandes/<int:pk>/", instruction.request_detail, name="request"),
    path("demandes/<int:pk>/approuver/", instruction.approve, name="approve"),
    path("demandes/<int:pk>/refuser/", instruction.reject, name="reject"),
    path("demandes/<int:pk>/prolonger/", instruction.extend, name="extend"),
    path("demandes/<int:pk>/revoquer/", instruction.revoke, name="revoke"),
    path(
        "demandes/rattachements/<int:pk>/approuver/",
        instruction.approve_attachment,
        name="approve_attachment",
    ),
    path(
        "demandes/rattachements/<int:pk>/refuser/",
        instruction.reject_attachment,
        name="reject_attachment",
    ),
    path(
        "demandes/<int:pk>/journal.csv",
        audit.habilitation_audit_csv,
        name="habilitation_audit_csv",
    ),
    path("assistance/", helpdesk.search, name="helpdesk"),
    path("assistance/comptes/<int:pk>/", helpdesk.account_detail, name="account"),
    path(
        "assistance/comptes/<int:pk>/renvoyer-identifiant/",
        helpdesk.resend_login,
        name="resend_login",
    ),
    path("assistance/comptes/<int:pk>/deverrouiller/", helpdesk.unlock, name="unlock"),
    path("assistance/comptes/<int:pk>/bloquer/", helpdesk.freeze, name="freeze"),
    path("assistance/comptes/<int:pk>/debloquer/", helpdesk.unfreeze, name="unfreeze"),
    path(
        "assistance/comptes/<int:pk>/reinitialiser-question-secrete/",
        helpdesk.reset_secret_question,
        name="reset_secret_question",
    ),
    path(
        "assistance/comptes/<int:pk>/reinitialiser-double-authentification/",
        helpdesk.reset_second_factor,
        name="reset_second_factor",
    ),
    path(
        "assistance/comptes/<int:pk>/journal.csv", audit.account_audit_csv, name="account_audit_csv"
    ),
    path(
        "assistance/comptes/<int:pk>/donnees-personnelles/",
        helpdesk.export_personal_data,
        name="export_personal_data",
    ),
]

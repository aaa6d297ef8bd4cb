from django.urls import path

from apart.establishments.views import add, colleagues, fiche, invitations, listing

app_name = "establishments"

urlpatterns = [
    path("espace/etablissements/", listing.establishment_list, name="list"),
    path("espace/etablissements/ajouter/", add.add_siret, name="add_siret"),
    path("espace/etablissements/ajouter/informations/", add.add_details, name="add_details"),
    path("espace/etablissements/<int:pk>/", fiche.fiche, name="fiche"),
    path(
        "espace/etablissements/<int:pk>/coordonnees-bancaires/",
        fiche.bank_details,
        name="bank_details",
    ),
    path("espace/etablissements/<int:pk>/actualiser/", fiche.sirene_refresh, name="sirene_refresh"),
    path("espace/etablissements/<int:pk>/collegues/", colleagues.colleagues, name="colleagues"),
    path(
        "espace/etablissements/<int:pk>/collegues/<int:account_pk>/retirer/",
        colleagues.colleague_remove,
        name="colleague_remove",
    ),
    path(
        "espace/etablissements/<int:pk>/collegues/<int:account_pk>/contact-principal/",
        colleagues.main_contact,
        name="main_contact",
    ),
    path(
        "espace/etablissements/<int:pk>/invitations/<int:invitation_pk>/annuler/",
        colleagues.invitation_cancel,
        name="invitation_cancel",
    ),
    path("invitation/<str:token>/", invitations.invitation, name="invitation"),
    path(
        "invitation/<str:token>/creer-mon-compte/",
        invitations.invitation_register,
        name="invitation_register",
    ),
]

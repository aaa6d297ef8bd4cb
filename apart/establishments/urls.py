from django.urls import path

from apart.establishments import views

app_name = "establishments"

urlpatterns = [
    path("espace/etablissements/", views.establishment_list, name="list"),
    path("espace/etablissements/ajouter/", views.add_siret, name="add_siret"),
    path("espace/etablissements/ajouter/informations/", views.add_details, name="add_details"),
    path("espace/etablissements/<int:pk>/", views.fiche, name="fiche"),
    path(
        "espace/etablissements/<int:pk>/coordonnees-bancaires/",
        views.bank_details,
        name="bank_details",
    ),
    path("espace/etablissements/<int:pk>/actualiser/", views.sirene_refresh, name="sirene_refresh"),
    path("espace/etablissements/<int:pk>/collegues/", views.colleagues, name="colleagues"),
    path(
        "espace/etablissements/<int:pk>/collegues/<int:account_pk>/retirer/",
        views.colleague_remove,
        name="colleague_remove",
    ),
    path(
        "espace/etablissements/<int:pk>/collegues/<int:account_pk>/contact-principal/",
        views.main_contact,
        name="main_contact",
    ),
    path(
        "espace/etablissements/<int:pk>/invitations/<int:invitation_pk>/annuler/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path(
        "invitation/<str:token>/creer-mon-compte/",
        views.invitation_register,
        name="invitation_register",
    ),
]

from django.urls import path

from apart.claims import views

app_name = "claims"

urlpatterns = [
    path("espace/demandes-indemnisation/", views.claim_list, name="list"),
    path("espace/demandes-indemnisation/nouvelle/", views.create, name="create"),
    path("espace/demandes-indemnisation/<int:pk>/", views.detail, name="detail"),
    path("espace/demandes-indemnisation/<int:pk>/salaries/", views.add_line, name="add_line"),
    path("espace/demandes-indemnisation/<int:pk>/transmettre/", views.submit, name="submit"),
    path(
        "espace/demandes-indemnisation/salaries/<int:pk>/supprimer/",
        views.remove_line,
        name="remove_line",
    ),
]

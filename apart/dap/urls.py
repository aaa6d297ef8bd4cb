from django.urls import path

from apart.dap import views

app_name = "dap"

urlpatterns = [
    path("espace/demandes-autorisation/", views.request_list, name="list"),
    path("espace/demandes-autorisation/nouvelle/", views.create, name="create"),
    path("espace/demandes-autorisation/<int:pk>/", views.detail, name="detail"),
    path("espace/demandes-autorisation/<int:pk>/modifier/", views.update, name="update"),
    path("espace/demandes-autorisation/<int:pk>/transmettre/", views.submit, name="submit"),
    path(
        "espace/demandes-autorisation/<int:pk>/pieces-jointes/",
        views.add_attachment,
        name="add_attachment",
    ),
    path("espace/pieces-jointes/<int:pk>/", views.download_attachment, name="download_attachment"),
    path(
        "espace/pieces-jointes/<int:pk>/supprimer/",
        views.remove_attachment,
        name="remove_attachment",
    ),
    path("espace/decisions/", views.decision_list, name="decisions"),
    path(
        "espace/decisions/<int:pk>/decision.pdf",
        views.decision_document,
        name="decision_document",
    ),
    path("espace/decisions/<int:pk>/", views.decision_page, name="decision_page"),
]

from django.urls import path

from apart.backoffice.views import claims as agent_views

app_name = "claims_gestion"

urlpatterns = [
    path("", agent_views.queue, name="queue"),
    path("<int:pk>/", agent_views.detail, name="detail"),
    path("<int:pk>/valider/", agent_views.validate, name="validate"),
    path("<int:pk>/rejeter/", agent_views.reject, name="reject"),
    path(
        "<int:pk>/confirmer-coordonnees-bancaires/",
        agent_views.confirm_bank,
        name="confirm_bank",
    ),
    path("paiement/", agent_views.payments, name="payments"),
    path("paiement.csv", agent_views.payments_csv, name="payments_csv"),
]

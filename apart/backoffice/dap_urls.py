from django.urls import path

from apart.backoffice.views import dap as agent_views

app_name = "dap_gestion"

urlpatterns = [
    path("", agent_views.queue, name="queue"),
    path("<int:pk>/", agent_views.detail, name="detail"),
    path("<int:pk>/instruire/", agent_views.take, name="take"),
    path("<int:pk>/autoriser/", agent_views.accept, name="accept"),
    path("<int:pk>/refuser/", agent_views.refuse, name="refuse"),
    path("pieces-jointes/<int:pk>/", agent_views.download_attachment, name="attachment"),
    path("decisions/<int:pk>/decision.pdf", agent_views.decision_document, name="decision"),
    path("decisions/<int:pk>/", agent_views.decision_page, name="decision_page"),
]

from django.urls import path

from apart.registration import views

app_name = "registration"

urlpatterns = [
    path("creer-mon-espace/", views.start, name="start"),
    path("creer-mon-espace/compte/", views.details, name="details"),
    path("creer-mon-espace/demande-transmise/", views.done, name="done"),
    path("creer-mon-espace/confirmer/<str:token>/", views.claim, name="claim"),
]

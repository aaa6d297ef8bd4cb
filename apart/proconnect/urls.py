from django.urls import path

from apart.proconnect import views

app_name = "proconnect"

urlpatterns = [
    path("connexion/", views.start, name="start"),
    path("retour/", views.callback, name="callback"),
    path("association/", views.link, name="link"),
    path("association/confirmation/", views.finish_link, name="finish_link"),
    path("association/<str:token>/", views.confirm_link, name="confirm_link"),
    path("deconnexion/", views.logged_out, name="logged_out"),
]

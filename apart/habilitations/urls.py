from django.urls import path

from apart.habilitations import views

app_name = "habilitations"

urlpatterns = [
    path("espace/habilitation/renouveler/", views.renew, name="renew"),
]

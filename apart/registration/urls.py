from django.urls import path

from apart.registration import views

app_name = "registration"

urlpatterns = [
    path("creer-mon-espace/", views.start, name="start"),
]

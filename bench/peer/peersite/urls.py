from django.urls import include, path

from peersite import views

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("space/", views.space, name="space"),
    path("health/", views.health, name="health"),
]

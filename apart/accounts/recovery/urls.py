"""Recovery URLs, included by apart/accounts/urls.py inside the ``accounts`` namespace."""

from django.urls import path

from apart.accounts.recovery import views

urlpatterns = [
    path("mot-de-passe-oublie/", views.password_forgotten, name="password_forgotten"),
    path("identifiant-oublie/", views.login_forgotten, name="login_forgotten"),
]

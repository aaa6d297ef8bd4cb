"""Recovery URLs, included by apart/accounts/urls.py inside the ``accounts`` namespace."""

from django.urls import path

from apart.accounts.recovery import views

urlpatterns = [
    # « J'ai oublié mon mot de passe » (guide, chapter 3)
    path("mot-de-passe-oublie/", views.password_forgotten, name="password_forgotten"),
    path(
        "mot-de-passe-oublie/question-secrete/",
        views.password_question,
        name="password_question",
    ),
    path("mot-de-passe-oublie/mail-envoye/", views.password_sent, name="password_sent"),
    path(
        "mot-de-passe-oublie/jeton/<str:token>/",
        views.password_reset_link,
        name="password_reset_link",
    ),
    path(
        "mot-de-passe-oublie/mot-de-passe-change/", views.password_changed, name="password_changed"
    ),
    # « J'ai oublié mon identifiant » (guide, chapter 4)
    path("identifiant-oublie/", views.login_forgotten, name="login_forgotten"),
    path("identifiant-oublie/question-secrete/", views.login_question, name="login_question"),
    path("identifiant-oublie/mail-envoye/", views.login_sent, name="login_sent"),
]

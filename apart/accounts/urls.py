from django.urls import include, path

from apart.accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("changement-mot-de-passe/", views.password_change, name="password_change"),
    path("question-secrete/", views.secret_question_setup, name="secret_question_setup"),
    path("confirmer-mon-identite/", views.reauth, name="reauth"),
    path("session/prolonger/", views.session_extend, name="session_extend"),
    path("ce-n-etait-pas-moi/<str:token>/", views.not_me, name="not_me"),
    path("", include("apart.accounts.recovery.urls")),
]

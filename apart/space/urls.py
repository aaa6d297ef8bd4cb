from django.urls import path

from apart.space import views

app_name = "space"

urlpatterns = [
    path("espace/", views.dashboard, name="dashboard"),
    path("espace/etablissement-courant/", views.choose_current, name="choose_current"),
    path("espace/mon-compte/", views.my_account, name="my_account"),
    path("espace/mon-compte/telephone/", views.change_phone_view, name="change_phone"),
    path("espace/mon-compte/courriel/", views.change_email_view, name="change_email"),
    path(
        "espace/mon-compte/question-secrete/",
        views.change_secret_question_view,
        name="change_secret_question",
    ),
    path("espace/confirmer-courriel/<str:token>/", views.email_confirm, name="email_confirm"),
    path("aide/", views.help_page, name="help"),
]

from django.urls import path

from apart.notifications import views

app_name = "notifications"

urlpatterns = [
    path("boite-de-demonstration/", views.demo_mailbox, name="demo_mailbox"),
    path("boite-de-demonstration/<int:pk>/", views.demo_email, name="demo_email"),
    path("boite-de-demonstration/<int:pk>/html/", views.demo_email_html, name="demo_email_html"),
]

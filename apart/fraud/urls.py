from django.urls import path

from apart.fraud import views

app_name = "fraud"

urlpatterns = [
    path("", views.figures, name="figures"),
    path("<int:pk>/examen/", views.review, name="review"),
]

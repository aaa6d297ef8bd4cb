from django.urls import path

from apart.metrics import views

app_name = "metrics"

urlpatterns = [path("metrics", views.metrics, name="scrape")]

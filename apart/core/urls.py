from django.urls import path

from apart.core import health, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("conditions-generales-d-utilisation/", views.terms, name="terms"),
    path("mentions-legales/", views.legal, name="legal"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("plan-du-site/", views.site_map, name="site_map"),
    path("sante/", health.ready, name="health"),
    path("sante/vivant/", health.alive, name="alive"),
]

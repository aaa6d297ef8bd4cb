"""Test-only URLconf: the site's URLs plus a view that fails (for the 500 page)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail that must never reach the browser")


urlpatterns = [path("panne/", failing_view), *site_urlpatterns]

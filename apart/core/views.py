from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apart.core.accessibility import current_audit


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_safe
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "core/terms.html")


@require_safe
def legal(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal.html")


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html", {"audit": current_audit()})


@require_safe
def site_map(request: HttpRequest) -> HttpResponse:
    """« Plan du site » (RGAA 12.1, 12.3): the public pages, the employer's space, and the
    agents' pages for an agent."""
    return render(request, "core/site_map.html")

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def password_forgotten(request: HttpRequest) -> HttpResponse:
    # Placeholder until the recovery journey lands (issue 7).
    return render(request, "core/home.html")


@require_safe
def login_forgotten(request: HttpRequest) -> HttpResponse:
    # Placeholder until the recovery journey lands (issue 7).
    return render(request, "core/home.html")

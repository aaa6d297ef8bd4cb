from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    # Replaced by the "Créer mon espace" journey (registration issue).
    return render(request, "registration/start.html")

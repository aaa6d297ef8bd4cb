from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def space(request: HttpRequest) -> HttpResponse:
    """The page after the login: the person's name and a logout link."""
    return render(request, "space.html")


def health(request: HttpRequest) -> HttpResponse:
    """The minimal view: the whole middleware stack, no query, no template."""
    return HttpResponse("ok", content_type="text/plain")

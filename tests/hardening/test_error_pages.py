"""Error pages: French, DSFR, no traceback, and rendered without the database (it may be what
failed). The tests below have no database access at all: pytest-django refuses any query."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.test import Client, RequestFactory
from django.views import defaults
from django.views.csrf import csrf_failure

DSFR_CSS = "dsfr.min.css"


def _request():
    request = RequestFactory().get("/une-page/")
    request.csp_nonce = "nonce"
    return request


def test_the_500_page_is_french_dsfr_and_needs_no_database():
    response = defaults.server_error(_request())

    html = response.content.decode()
    assert response.status_code == 500
    assert "Une erreur est survenue" in html
    assert DSFR_CSS in html
    assert "Traceback" not in html


@pytest.mark.parametrize(
    ("view", "exception", "status", "title"),
    [
        (defaults.page_not_found, Http404(), 404, "Page non trouvée"),
        (defaults.permission_denied, PermissionDenied(), 403, "Accès refusé"),
        (defaults.bad_request, SuspiciousOperation(), 400, "Requête incorrecte"),
    ],
)
def test_client_error_pages_are_french_dsfr_and_need_no_database(view, exception, status, title):
    response = view(_request(), exception)

    html = response.content.decode()
    assert response.status_code == status
    assert title in html
    assert DSFR_CSS in html


def test_a_refused_csrf_token_shows_the_french_page():
    response = csrf_failure(_request(), reason="CSRF token missing.")

    assert response.status_code == 403
    assert "Formulaire expiré" in response.content.decode()


@pytest.mark.urls("tests.hardening.urls_failing")
def test_an_unexpected_failure_shows_the_500_page_without_detail():
    client = Client(raise_request_exception=False)

    response = client.get("/panne/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "Une erreur est survenue" in html
    assert "secret detail" not in html
    assert "RuntimeError" not in html
    assert "Content-Security-Policy" in response.headers


@pytest.mark.django_db
def test_an_unknown_page_shows_the_french_404_through_the_site(client):
    response = client.get("/nulle-part/")

    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()

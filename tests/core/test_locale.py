"""The visitor's language lasts as long as their request, not beyond it in the worker thread."""

import pytest
from django.conf import settings
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_an_english_page_leaves_the_thread_french_for_what_comes_next(client, rf):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/mentions-legales/")

    assert response.headers["Content-Language"] == "en"
    assert translation.get_language() == "fr"
    # e.g. an error page rendered before the language middleware of the next request
    request = rf.get("/une-page/")
    request.csp_nonce = "nonce"
    assert "Une erreur est survenue" in defaults.server_error(request).content.decode()

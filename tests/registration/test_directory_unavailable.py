"""The INSEE API down: step 1 says so, instead of calling an existing SIRET unknown."""

import pytest

from apart.directory.eligibility import DIRECTORY_UNAVAILABLE, UNKNOWN_SIRET
from tests.directory.conftest import sirene_api  # noqa: F401 (the recorded INSEE API fixture)
from tests.registration.factories import new_siret
from tests.registration.journey import submit_step1

pytestmark = pytest.mark.django_db


def test_step_1_asks_to_retry_when_the_directory_cannot_answer(client, sirene_api):  # noqa: F811
    siret = new_siret()
    sirene_api.answer(siret, 503, body=b"<html>maintenance</html>")

    response = submit_step1(client, siret)

    page = response.content.decode().replace("&#x27;", "'")
    assert DIRECTORY_UNAVAILABLE in page
    assert UNKNOWN_SIRET not in page
    assert response.status_code != 302  # no step 2 without an answer from SIRENE

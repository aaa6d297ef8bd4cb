import pytest


@pytest.fixture(autouse=True)
def _no_login_checks(settings):
    """The account rules are tested alone: the habilitation gate has its own tests."""
    settings.APART_LOGIN_CHECKS = []
